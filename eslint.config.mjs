// Lint is part of the build: type-aware rules as errors, Nx module boundaries that actually forbid.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'];
const NO_TEST_HELPERS = [{ name: '@poststelle/testing', message: 'Test helpers are for tests only.' }];

// Intake is a core plus one module per channel (ADR 0019). In flat config a later block's `no-restricted-imports`
// replaces an earlier one for the same file, so each intake block repeats the ban on test helpers for production
// code (test/lint/module-boundaries.spec.ts proves every rule fires).
const INTAKE_RULES = [
  {
    files: ['apps/intake/src/channels/**/*.ts'],
    patterns: [
      { regex: '^\\.\\./[^./]', message: 'A channel never imports another channel; share through the core (ADR 0019).' },
      {
        regex: '^\\.\\./\\.\\./(?!core$)',
        message: "A channel imports only the core's public index ('../../core'), never its files or other intake folders.",
      },
    ],
  },
  {
    files: ['apps/intake/src/cases/**/*.ts'],
    patterns: [
      {
        regex: '^\\.\\./(?!core$)',
        message: "Case tracking imports only the core's public index ('../core'), never a channel or the core's files.",
      },
    ],
  },
  {
    files: ['apps/intake/src/core/**/*.ts'],
    patterns: [{ regex: '(^|/)(channels|cases)(/|$)', message: 'The intake core never depends on a channel or on case tracking.' }],
  },
];
const intakeBlocks = INTAKE_RULES.flatMap(({ files, patterns }) => [
  { files, ignores: TEST_FILES, rules: { 'no-restricted-imports': ['error', { paths: NO_TEST_HELPERS, patterns }] } },
  {
    files: files.map((f) => f.replace(/\*\.ts$/, '*.{spec,integration-spec}.ts')),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  },
]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', '.kafka/**', '.data/**', '.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through the validated config class, not process.env.',
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            // type:testing is reachable only from test files: the no-restricted-imports rule below bans it elsewhere.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:intake', 'scope:shared'] },
            { sourceTag: 'scope:routing', onlyDependOnLibsWithTags: ['scope:routing', 'scope:shared'] },
            { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared'] },
            { sourceTag: 'scope:erechnung', onlyDependOnLibsWithTags: ['scope:erechnung', 'scope:shared'] },
            { sourceTag: 'scope:archive', onlyDependOnLibsWithTags: ['scope:archive', 'scope:shared'] },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // Production code never imports test helpers.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@poststelle/testing', message: 'Test helpers are for tests only.' }] }],
    },
  },
  {
    // The Kafka core never depends on Nest; infrastructure libs never on the Nest platform glue. In flat config a later
    // block's `no-restricted-imports` replaces an earlier one for the same file, so this block comes after the one
    // above and repeats its ban on test helpers (test/lint/module-boundaries.spec.ts proves both still fire).
    files: [
      'libs/messaging/**/*.ts',
      'libs/contracts/**/*.ts',
      'libs/persistence/**/*.ts',
      'libs/telemetry/**/*.ts',
      'libs/xrechnung/**/*.ts',
    ],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@poststelle/testing', message: 'Test helpers are for tests only.' }],
          patterns: [{ group: ['@nestjs/*'], message: 'Core libs stay framework-free; wrap them in libs/platform.' }],
        },
      ],
    },
  },
  ...intakeBlocks,
  {
    // Config classes, test helpers and benchmarks are allowed to read the environment; the OTel SDK reads its
    // standard OTEL_* variables itself.
    files: [
      '**/*.config.ts',
      'libs/platform/src/config/**/*.ts',
      'libs/telemetry/src/start-telemetry.ts',
      'libs/testing/**/*.ts',
      'bench/**/*.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      'scripts/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
