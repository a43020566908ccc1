import express from 'express'; const a=express(); a.use(express.static('dist')); a.listen(3000)
