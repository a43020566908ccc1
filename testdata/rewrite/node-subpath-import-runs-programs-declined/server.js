import { uptime } from '#util/shell';
console.log(uptime());
