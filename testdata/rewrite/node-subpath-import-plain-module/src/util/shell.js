import os from 'node:os';
export const uptime = () => String(os.uptime());
