module.exports={port: process.env.PORT || 3000}
