import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

/** A probe: a file written into the tree, linted, and removed. */
interface Probe {
  file: string;
  source: string;
}

/**
 * Lints every probe in one ESLint process, exactly as `npm run lint` does (its flat config is an ES module; one
 * process, because each builds the type-aware program once, which takes most of the time). Each probe gets a file
 * name of its own in the folder it names, so the probes cannot see each other.
 */
async function lintAll(probes: Probe[]): Promise<string[][]> {
  const paths = probes.map((p, i) => resolve(ROOT, p.file.replace(/boundary-probe/, `boundary-probe-${i}`)));
  await Promise.all(paths.map((path, i) => writeFile(path, probes[i]!.source)));
  try {
    const out = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', ...paths], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      (r) => r.stdout,
      (error: { stdout?: string }) => error.stdout ?? '[]',
    );
    const results = JSON.parse(out) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    return paths.map((path) => {
      const result = results.find((r) => r.filePath === path);
      if (!result) throw new Error(`ESLint did not report on ${path}`);
      return result.messages.map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
    });
  } finally {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  }
}

/** Imports that must fail lint: [what, file, source, the message it must get]. */
const REFUSED: [string, string, string, string][] = [
  [
    'an app importing another app',
    'apps/routing/src/boundary-probe.ts',
    "import { AcceptSubmissionUseCase } from '../../intake/src/core/submission/accept-submission.use-case';\nexport const x = AcceptSubmissionUseCase;\n",
    '@nx/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path',
  ],
  [
    'a deep import into a lib instead of its public index',
    'apps/routing/src/boundary-probe.ts',
    "import { Topics } from '../../../libs/contracts/src/topics';\nexport const x = Topics;\n",
    '@nx/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path',
  ],
  [
    'the contracts lib importing infrastructure',
    'libs/contracts/src/boundary-probe.ts',
    "import { OutboxRelay } from '@poststelle/messaging';\nexport const x = OutboxRelay;\n",
    '@nx/enforce-module-boundaries: A project tagged with "type:contracts" can only depend on libs tagged with "type:contracts"',
  ],
  [
    'production code importing test helpers',
    'apps/routing/src/boundary-probe.ts',
    "import { KafkaProbe } from '@poststelle/testing';\nexport const x = KafkaProbe;\n",
    'no-restricted-imports: ',
  ],
  [
    'the Nest-free messaging core importing Nest',
    'libs/messaging/src/boundary-probe.ts',
    "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    'no-restricted-imports: ',
  ],
  [
    'the contracts lib importing Nest',
    'libs/contracts/src/boundary-probe.ts',
    "import { Module } from '@nestjs/common';\nexport const x = Module;\n",
    'no-restricted-imports: ',
  ],
  [
    'the messaging core importing test helpers (both bans hold in the same file)',
    'libs/messaging/src/boundary-probe.ts',
    "import { KafkaProbe } from '@poststelle/testing';\nexport const x = KafkaProbe;\n",
    'no-restricted-imports: ',
  ],
  [
    'an intake channel importing another channel',
    'apps/intake/src/channels/portal/boundary-probe.ts',
    "import { EmailRepository } from '../email/email.repository';\nexport const x = EmailRepository;\n",
    'no-restricted-imports: ',
  ],
  [
    'an intake channel importing another channel through the channels folder',
    'apps/intake/src/channels/scan/boundary-probe.ts',
    "import { FitConnectRepository } from '../../channels/fit-connect/fit-connect.repository';\nexport const x = FitConnectRepository;\n",
    'no-restricted-imports: ',
  ],
  [
    "an intake channel importing a core file instead of the core's index",
    'apps/intake/src/channels/email/boundary-probe.ts',
    "import { sha512Hex } from '../../core/hashing';\nexport const x = sha512Hex;\n",
    'no-restricted-imports: ',
  ],
  [
    'an intake channel test importing another channel',
    'apps/intake/src/channels/email/boundary-probe.spec.ts',
    "import { ScanRepository } from '../scan/scan.repository';\nexport const x = ScanRepository;\n",
    'no-restricted-imports: ',
  ],
  [
    'an intake channel importing test helpers (both bans hold in the same file)',
    'apps/intake/src/channels/portal/boundary-probe.ts',
    "import { KafkaProbe } from '@poststelle/testing';\nexport const x = KafkaProbe;\n",
    'no-restricted-imports: ',
  ],
  [
    'the intake core importing a channel',
    'apps/intake/src/core/submission/boundary-probe.ts',
    "import { ScanRepository } from '../../channels/scan/scan.repository';\nexport const x = ScanRepository;\n",
    'no-restricted-imports: ',
  ],
  [
    'the intake core importing case tracking',
    'apps/intake/src/core/boundary-probe.ts',
    "import { CasesRepository } from '../cases/cases.repository';\nexport const x = CasesRepository;\n",
    'no-restricted-imports: ',
  ],
  [
    'case tracking importing a channel',
    'apps/intake/src/cases/boundary-probe.ts',
    "import { ScanRepository } from '../channels/scan/scan.repository';\nexport const x = ScanRepository;\n",
    'no-restricted-imports: ',
  ],
];

/** Imports that must pass: [what, file, source]. */
const ACCEPTED: [string, string, string][] = [
  [
    "a channel importing the intake core's public index",
    'apps/intake/src/channels/portal/boundary-probe.ts',
    "import { sha512Hex } from '../../core';\nexport const x = sha512Hex;\n",
  ],
  [
    "case tracking importing the intake core's public index",
    'apps/intake/src/cases/boundary-probe.ts',
    "import { sha512Hex } from '../core';\nexport const x = sha512Hex;\n",
  ],
  [
    'an import through the public index',
    'apps/routing/src/boundary-probe.ts',
    "import { Topics } from '@poststelle/contracts';\nexport const x = Topics;\n",
  ],
];

/** The Nx boundaries must fail the build, not just be declared (requires `nx show projects` to have run). */
describe('module boundaries fail lint', () => {
  let messages: string[][] = [];

  beforeAll(async () => {
    messages = await lintAll([...REFUSED, ...ACCEPTED].map(([, file, source]) => ({ file, source })));
  }, 300000);

  it.each(REFUSED.map((c, i) => [c[0], i, c[3]] as const))('refuses %s', (_name, i, expected) => {
    expect(messages[i]!.filter((m) => m.startsWith(expected))).toHaveLength(1);
  });

  it.each(ACCEPTED.map((c, i) => [c[0], REFUSED.length + i] as const))('accepts %s', (_name, i) => {
    expect(messages[i]).toEqual([]);
  });
});
