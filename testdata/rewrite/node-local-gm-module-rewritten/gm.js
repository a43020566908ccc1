module.exports = (name) => ({ name });
