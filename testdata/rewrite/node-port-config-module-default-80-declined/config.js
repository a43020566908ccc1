module.exports={port: process.env.PORT || 80}
