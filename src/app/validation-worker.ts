/**
 * A validation worker thread: validates the SOP texts its parent sends, one at a time, and sends
 * back each result. Started (and stopped when too slow) by validate-in-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { validateSop } from '../engine/index.js';
import type { WorkerReply, WorkerRequest } from './validate-in-worker.js';

const port = parentPort!;
port.on('message', ({ source, file }: WorkerRequest) => {
  port.postMessage({ type: 'result', result: validateSop(source, file) } satisfies WorkerReply);
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
