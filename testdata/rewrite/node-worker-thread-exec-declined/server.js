const express=require('express');
const { Worker } = require('worker_threads');
new Worker('./w.js');
express().listen(3000);
