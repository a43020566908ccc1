const { statfs } = require('node:fs/promises');

exports.freeSpace = async () => {
  const s = await statfs('/');
  return String(s.bavail * s.bsize);
};
