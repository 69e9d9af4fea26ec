// Three test tiers, selected by file suffix: *.spec.ts (unit), *.integration-spec.ts (real Kafka + PostgreSQL),
// *.e2e-spec.ts (services started as processes). TypeScript is compiled by SWC; `npm run typecheck` checks types.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(fs.readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const moduleNameMapper = Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]));

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.kafka/', '/.data/'],
  setupFiles: ['reflect-metadata'],
};

// The fault specs (their own broker cluster or database server, processes killed under a 1,000-case load) run one at a
// time (`e2e-serial`) after the others, which run two at a time (`e2e`), each with its own database, topic namespace
// and ports, so they cannot see each other.
const SERIAL_E2E = ['test/e2e/faults/*.e2e-spec.ts'];
const serialPattern = (glob) => '/' + glob.replace(/[.]/g, '\\.').replace('*', '[^/]*') + '$';

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench,test}/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts'], slowTestThreshold: 30 },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,test}/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...SERIAL_E2E.map(serialPattern)],
      slowTestThreshold: 120,
      // A step of an end-to-end test talks to running services (two stacks share the machine): 5 s is too tight.
      testTimeout: 60000,
    },
    {
      ...base,
      displayName: 'e2e-serial',
      testMatch: SERIAL_E2E.map((glob) => `<rootDir>/${glob}`),
      slowTestThreshold: 120,
      // A step of an end-to-end test talks to running services (two stacks share the machine): 5 s is too tight.
      testTimeout: 60000,
    },
  ],
};
