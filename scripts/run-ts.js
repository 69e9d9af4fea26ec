#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, demo tooling) straight from source: SWC compiles each .ts file on
// require with the workspace's .swcrc (decorator metadata included), and @poststelle/* aliases resolve to libs/.
// Usage: node scripts/run-ts.js <file.ts> [args...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
tsconfigPaths.register({ baseUrl: root, paths, addMatchAll: false });

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, swcrc: false, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.js <file.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require('reflect-metadata');
require(path.resolve(entry));
