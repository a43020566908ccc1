const express=require('express');const app=express();const port=process.env.PORT||8080;app.get('/',(q,r)=>r.send('hi'));app.listen(port,()=>console.log('listening',port));
