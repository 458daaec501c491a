// Entry of the audit worker thread: loads the TypeScript sources through tsx (the worker does not
// inherit the main thread's loader when started by bin/warden.js), then runs the checks.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
