export const run = (): string => {
  const { execSync } = require('child_process');
  return execSync('uname -a').toString();
};
