const { exec } = require('node:child_process');

exports.freeSpace = () => new Promise((resolve, reject) => {
  exec('df -h /', (err, out) => (err ? reject(err) : resolve(out)));
});
