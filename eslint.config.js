// The linter keeps what reviews kept finding: promises nobody awaits or catches (a failed write
// that vanishes), promises passed where a callback's result is ignored, awaits of non-promises.
// Type-aware, on every TypeScript file the tsconfig covers (the Svelte files are checked by svelte-check).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'client/dist/**', 'node_modules/**', '**/*.svelte', '**/*.mjs', 'eslint.config.js'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
