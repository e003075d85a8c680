// Entry of a validation worker thread (see validate-in-worker.ts). A worker starts without the tsx
// loader its parent may have registered (bin/alur.js does; vitest transforms its own way), and
// `execArgv: ['--import', 'tsx']` is not honoured for workers on Node 20; so it registers tsx
// itself, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./validation-worker.ts');
