/**
 * The linter as part of the suite (eslint.config.js): a promise nobody awaits or catches is a failed
 * write that vanishes. Runs the project's own ESLint over the tree, as `npm run lint` does.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSync, rmSync } from 'node:fs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('lint', () => {
  it('what eslint finds in the code base: no floating or misused promises (and it does find one planted)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['.']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(ROOT.length + 1)}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(problems).toEqual([]);
    // positive control: a floating promise in a file the tsconfig covers is reported
    const planted = join(ROOT, 'server', '__lint-probe.ts');
    writeFileSync(planted, 'export function f(): void { Promise.resolve(1); }\n');
    try {
      const [probe] = await new ESLint({ cwd: ROOT }).lintFiles([planted]);
      expect(probe!.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/no-floating-promises');
    } finally {
      rmSync(planted, { force: true });
    }
  }, 180_000);
});
