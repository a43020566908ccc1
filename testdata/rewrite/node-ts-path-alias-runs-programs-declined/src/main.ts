import { run } from '@src/util/run';
console.log(run());
