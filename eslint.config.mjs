// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const contexts = ['organisation', 'catalogue', 'citizens', 'visitation', 'delivery', 'ledger', 'settlement', 'reconciliation', 'reports', 'notifications'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'jest.config.js', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
      // Secrets and personal data never go to a log through process.env dumps; config is read typed.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read the typed AppConfig instead.' }],
    },
  },
  // A context never imports another context's entities, repositories or internals: only its module's exports
  // (services) — and preferably reacts to its events.
  ...contexts.map((ctx) => ({
    files: [`src/modules/${ctx}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: contexts
                .filter((other) => other !== ctx)
                .flatMap((other) => [`src/modules/${other}/*.entity`, `src/modules/${other}/*.repository`, `src/modules/${other}/sql/*`]),
              message: 'Use the other context’s exported service or its events, never its tables.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/scripts/**/*.ts', 'src/main.ts', 'src/worker.ts', 'src/platform/config/**/*.ts', 'src/platform/database/cli-data-source.ts', 'src/platform/process.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
