const express = require('express');
const argv = require('yargs').option('port', { alias: 'p', type: 'number', default: 80 }).argv;
express().listen(argv.port);
