/** One worker thread of the SOP fuzz: its share of the files, progress now and then, then its figures. */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzShard } from './sop-fuzz.js';

const { cases, seed, shard, stopAt } = workerData as { cases: number; seed: number; shard: number; stopAt: number };
const result = fuzzShard(cases, seed, shard, stopAt, (done) => parentPort!.postMessage({ progress: done }));
parentPort!.postMessage({ result });
