// Entry of the hostile benchmark's worker thread: registers tsx's loader in this thread (a
// worker does not inherit the parent's) and runs hostile-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./hostile-worker.ts');
