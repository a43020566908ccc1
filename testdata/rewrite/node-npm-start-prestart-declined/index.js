const app=require("express")(); app.get("/",(q,r)=>r.send(process.env.npm_package_version)); app.listen(process.env.PORT||3000)
