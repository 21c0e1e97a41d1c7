/**
 * Runs once before the test forks start: builds the client if its sources changed, so that
 * browser test files running in parallel never build (and overwrite dist/client) at once.
 */
import { ensureClientBuilt } from '../scripts/client-build.js';

export default async function setup(): Promise<void> {
  await ensureClientBuilt();
}
