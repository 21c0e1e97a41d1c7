import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One chDB engine per process: integration files run in forked processes, one file per fork.
export default defineConfig({
  plugins: [svelte()],
  test: {
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
    include: ['streams/**/*.test.ts', 'server/**/*.test.ts', 'sql/**/*.test.ts', 'client/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
