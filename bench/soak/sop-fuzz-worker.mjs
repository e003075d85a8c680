// A worker thread does not inherit `--import tsx`: register it here, then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sop-fuzz-worker.ts');
