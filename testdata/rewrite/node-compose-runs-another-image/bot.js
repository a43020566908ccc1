// stand-in for src/helpers/Logger.js:28-33 of saiteja-madha/discord-js-bot
const pino = require("pino");
const d = new Date();
const log = pino(pino.destination({ dest: `${process.cwd()}/logs/combined-${d.getFullYear()}.${d.getMonth()+1}.${d.getDate()}.log`, sync: true, mkdir: true }));
log.info("started");
setInterval(() => {}, 1 << 30);
