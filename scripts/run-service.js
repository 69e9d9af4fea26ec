#!/usr/bin/env node
// Starts a built service: `node scripts/run-service.js <intake|routing|payment|erechnung|archive|console>`.
// Resolves the @poststelle/* path aliases against the compiled output in dist/.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const tsconfigPaths = require('tsconfig-paths');

const SERVICES = ['intake', 'routing', 'payment', 'erechnung', 'archive', 'console'];
const service = process.argv[2];
if (!SERVICES.includes(service)) {
  console.error(`usage: run-service.js <${SERVICES.join('|')}>`);
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'apps', service, 'src', 'main.js');
if (!fs.existsSync(entry)) {
  console.error(`${entry} not found: run \`npm run build\` first`);
  process.exit(1);
}
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const distPaths = Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [alias, [target.replace(/\.ts$/, '.js')]]));
tsconfigPaths.register({ baseUrl: dist, paths: distPaths, addMatchAll: false });
require(entry);
