const cp=require('child_process');
cp.execSync('uname -a');
