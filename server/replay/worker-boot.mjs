// Entry of a replay worker thread: loads the TypeScript worker through tsx (as the server itself runs).
import { register } from 'tsx/esm/api';
register();
await import(new URL('./worker.ts', import.meta.url).href);
