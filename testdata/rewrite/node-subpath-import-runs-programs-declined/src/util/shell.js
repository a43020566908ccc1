import { execSync } from 'node:child_process';
export const uptime = () => execSync('uptime').toString();
