import express from 'express';
import { backup } from './backup';
express().listen(3000);
