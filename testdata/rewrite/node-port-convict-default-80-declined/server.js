const convict = require('convict');
const express = require('express');
const config = convict({
  port: { doc: 'The port to bind.', format: 'port', default: 80, env: 'PORT' },
});
express().listen(config.get('port'));
