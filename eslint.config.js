// Lint for what the type-checker does not catch: a promise nobody awaits or handles. In a room, a worker or any
// server code, its rejection is unhandled, and the process exits on unhandled rejections (server/main.ts).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'client/**', 'admin/**', 'test/**', 'migrations/**'] },
  {
    files: ['server/**/*.ts', 'rooms/**/*.ts', 'domain/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
