import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The shared public test data at ../shared/testdata relative to the repository root (never copied into the repo). */
export const TESTDATA = path.resolve(REPO_ROOT, '../shared/testdata/xrechnung');

export const listXml = (dir: string): string[] =>
  fs
    .readdirSync(path.join(TESTDATA, dir))
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => path.join(TESTDATA, dir, f));
