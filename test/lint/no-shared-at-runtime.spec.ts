import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * `../shared` (reference specs, third-party test data) exists beside the repository only on our build machines, never
 * on a user's. Product code, `npm start` (scripts/, the demo), deployment (deploy/, docker-compose.yml, package.json)
 * and tools/ must never read it; tests may, by relative path.
 *
 * What counts as test code, and may read ../shared: the test tiers (*.spec.ts, *.integration-spec.ts,
 * *.e2e-spec.ts), the top-level test/ folder and a lib's own test/ folder (fixtures, e.g. libs/xrechnung/test).
 * libs/testing is scanned although only tests use it otherwise: the demo that `npm start` runs imports it.
 * Documentation (*.md) is not scanned: naming the folder is not reading it.
 */
const ROOT = resolve(__dirname, '../..');
const SCANNED = [/^apps\//, /^libs\//, /^scripts\//, /^deploy\//, /^tools\//, /^docker-compose\.ya?ml$/, /^package\.json$/];
const TEST_CODE = [/\.(spec|integration-spec|e2e-spec)\.[cm]?[jt]s$/, /^(apps|libs)\/[^/]+\/test\//, /\.md$/];

/** A path that climbs into ../shared, joins '..' and 'shared', or names one of its folders (also as a mount target). */
const SHARED_REFERENCE = [
  /(?:^|[^\w.-])(?:\.\.[\\/])+shared(?![\w.-])/,
  /['"`]\.\.['"`]\s*,\s*['"`]shared['"`]/,
  /(?:^|[^\w-])shared[\\/](?:reference|testdata|hooks)\b/,
];

/** Every line of `text` that refers to the shared folder, as `file:line: text`. */
export function findSharedReferences(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => (SHARED_REFERENCE.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

/** The files of the working tree that run outside tests (tracked, or new and not ignored: what a commit would hold). */
function runtimeFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((f) => f && SCANNED.some((re) => re.test(f)) && !TEST_CODE.some((re) => re.test(f)))
    .filter((f) => !/\.(png|jpe?g|gif|pdf|ico|jar|zip|gz|woff2?)$/i.test(f));
}

describe('nothing outside tests reads ../shared', () => {
  it('the scanner finds every way of pointing at the shared folder', () => {
    const planted = [
      "const SCHEMA = '../shared/reference/fit-connect/metadata.schema.v1.0.0.json';",
      "const SAMPLE = resolve(__dirname, '../../shared/testdata/xrechnung/valid/01.01a-INVOICE_ubl.xml');",
      "const dir = path.join(root, '..', 'shared', 'testdata');",
      '      - ../shared/reference:/shared/reference:ro',
      '      FIT_CONNECT_METADATA_SCHEMA: /shared/reference/fit-connect/metadata.schema.v1.0.0.json',
      'COPY ../shared ./shared',
      'cp -r "$ROOT/../shared/testdata" .data/',
      String.raw`const p = '..\shared\testdata';`,
    ];
    for (const line of planted) expect(findSharedReferences('planted.ts', line)).toEqual([`planted.ts:1: ${line.trim()}`]);
    expect(findSharedReferences('x.ts', `ok\n${planted[0]!}\nok`)).toEqual([`x.ts:2: ${planted[0]!}`]);
  });

  it('the scanner leaves names that merely contain "shared" alone', () => {
    const innocent = [
      "import { SHARED_SECRET } from './shared-secret';",
      "const SHARED_STATUS_TOPIC = 'cases.status.v1'; // the shared topic",
      "import { something } from '../shared-kernel/index';",
      "const dir = resolve(__dirname, './shared/fixtures');",
      'volumes: [shared-blobs:/data/blobs]',
    ];
    for (const line of innocent) expect(findSharedReferences('innocent.ts', line)).toEqual([]);
  });

  it('product code, scripts, deploy, tools and docker-compose.yml do not refer to ../shared', () => {
    const files = runtimeFiles();
    expect(files).toEqual(expect.arrayContaining(['apps/intake/src/main.ts', 'scripts/demo.ts', 'scripts/start.sh', 'docker-compose.yml']));
    expect(files).not.toContain('libs/xrechnung/test/testdata.ts');
    const found = files.flatMap((f) => findSharedReferences(f, readFileSync(resolve(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });
});
