const { PrismaClient } = require('@prisma/client');
const express = require('express');
const prisma = new PrismaClient();
const app = express();
app.get('/users', async (req, res) => res.json(await prisma.user.findMany()));
app.listen(3000);
