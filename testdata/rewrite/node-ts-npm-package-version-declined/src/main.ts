const version = process.env.npm_package_version;
console.log(`starting ${version}`);
