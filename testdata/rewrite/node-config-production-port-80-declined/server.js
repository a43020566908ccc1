const config = require('config');
const express = require('express');
express().listen(config.get('port'));
