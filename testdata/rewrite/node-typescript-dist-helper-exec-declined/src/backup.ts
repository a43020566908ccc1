import { execSync } from 'child_process';
export const backup = () => execSync('tar czf /tmp/b.tgz /app/data');
