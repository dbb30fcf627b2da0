// Type-aware lint for every TypeScript file: typescript-eslint's strict rules, promises above all.
import tseslint from 'typescript-eslint';

// Steward speaks both protocol eras on purpose, so the SDK's 2025-era names (deprecated as of 2026-07-28) stay in use:
// the client's and the server's calls by package; the 2025-11-25 task schemas by name, as zod values carry zod's type.
const PROTOCOL_2025 = [
  { from: 'package', package: '@modelcontextprotocol/client', name: ['sendRootsListChanged'] },
  {
    from: 'package',
    package: '@modelcontextprotocol/server',
    name: ['SamplingMessage', 'CreateMessageResult', 'CreateMessageResultWithTools', 'log', 'getClientCapabilities', 'requestSampling', 'listRoots'],
  },
  'TaskStatusNotificationParamsSchema',
  'CreateTaskResultSchema',
  'GetTaskResultSchema',
  'CancelTaskResultSchema',
  'ListTasksResultSchema',
];

export default tseslint.config(
  { ignores: ['dist/**', 'test-results/**', 'release/**', '**/*.mjs', '**/*.js', '**/*.cjs', '**/*.d.mts'] },
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.renderer.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-deprecated': ['error', { allow: PROTOCOL_2025 }],
      // `const { task: _task, ...rest } = params` is how a copy leaves one field out.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests state what they expect a value to be; `!` there is an assertion, not a guess.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vi.waitFor and vi.waitUntil give up after 1 s unless told otherwise, which a loaded CI machine can exceed;
      // expect.poll takes its generous default from vitest.config.ts.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^wait(For|Until)$/][arguments.length<2]",
          message: 'vi.waitFor and vi.waitUntil default to a 1 s timeout: wait with expect.poll, or pass a timeout.',
        },
      ],
    },
  },
);
