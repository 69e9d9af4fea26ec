import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

async function lint(file: string, source: string): Promise<string[]> {
  const path = resolve(ROOT, file);
  await writeFile(path, source);
  try {
    // ESLint runs as its own process, exactly as in `npm run lint` (its flat config is an ES module).
    const out = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/eslint'), ['--format', 'json', path], { cwd: ROOT }).then(
      (r) => r.stdout,
      (error: { stdout?: string }) => error.stdout ?? '[]',
    );
    const [result] = JSON.parse(out) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
  } finally {
    await rm(path, { force: true });
  }
}

/** The Nx boundaries must fail the build, not just be declared (requires `nx show projects` to have run). */
describe('module boundaries fail lint', () => {
  it.each([
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
  ])(
    '%s',
    async (_name, file, source, expected) => {
      const messages = await lint(file, source);
      expect(messages.filter((m) => m.startsWith(expected))).toHaveLength(1);
    },
    60000,
  );

  it.each([
    ['a channel', 'apps/intake/src/channels/portal/boundary-probe.ts', '../../core'],
    ['case tracking', 'apps/intake/src/cases/boundary-probe.ts', '../core'],
  ])(
    "accepts %s importing the intake core's public index",
    async (_name, file, core) => {
      expect(await lint(file, `import { sha512Hex } from '${core}';\nexport const x = sha512Hex;\n`)).toEqual([]);
    },
    60000,
  );

  it('accepts an import through the public index', async () => {
    expect(
      await lint('apps/routing/src/boundary-probe.ts', "import { Topics } from '@poststelle/contracts';\nexport const x = Topics;\n"),
    ).toEqual([]);
  }, 60000);
});
