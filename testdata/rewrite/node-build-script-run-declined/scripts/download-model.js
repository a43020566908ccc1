require("fs").mkdirSync(require("os").homedir()+"/.cache/models",{recursive:true})
