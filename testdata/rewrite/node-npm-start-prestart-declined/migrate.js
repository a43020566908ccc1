console.log("migrating")
