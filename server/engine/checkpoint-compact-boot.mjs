// Entry of the checkpoint compactor's worker thread: loads the TypeScript worker through tsx (as the server itself runs).
import { register } from 'tsx/esm/api';
register();
await import(new URL('./checkpoint-compact-worker.ts', import.meta.url).href);
