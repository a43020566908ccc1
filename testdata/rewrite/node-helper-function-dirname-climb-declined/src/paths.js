const path = require('path');
function dataDir() {
  return path.join(__dirname, '..', '..', 'data');
}
module.exports = { dataDir };
