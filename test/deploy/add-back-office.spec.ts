import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Onboarding a back office must not put its SCRAM password on a command line (visible to every user in ps and
// /proc, kept in shell history). The stock Kafka tools are replaced here by recorders on PATH, so the test sees
// exactly which arguments and which credential file the script hands them.

const SCRIPT = join(__dirname, '..', '..', 'deploy', 'kafka-acls', 'add-back-office.sh');

describe('deploy/kafka-acls/add-back-office.sh', () => {
  let bin: string;
  let record: string;

  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'kafka-tools-'));
    record = join(bin, 'calls.log');
    // Each call: its arguments, one per line; for kafka-configs also the content of the --add-config-file it got.
    const recorder = `#!/usr/bin/env bash
{ echo "== $(basename "$0")"; printf '%s\\n' "$@"
  prev=""; for a in "$@"; do if [ "$prev" = "--add-config-file" ]; then echo "-- file $a"; cat "$a"; stat -c '%a' "$a"; fi; prev="$a"; done
} >> "${record}"
`;
    for (const tool of ['kafka-configs.sh', 'kafka-acls.sh']) {
      writeFileSync(join(bin, tool), recorder);
      chmodSync(join(bin, tool), 0o755);
    }
  });

  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const run = (password: string, ...extra: string[]) =>
    spawnSync('bash', [SCRIPT, 'kafka-1.example:9093', 'admin.properties', 'parking-potsdam', ...extra], {
      input: `${password}\n`,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, TMPDIR: bin },
      encoding: 'utf8',
    });

  it('reads the password from stdin and hands it over in a private file, never as an argument', () => {
    const password = 'correct-horse-battery-staple-42';
    const result = run(password);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const calls = readFileSync(record, 'utf8');
    const args = calls.split('\n').filter((l) => !l.startsWith('-- file') && !l.startsWith('SCRAM-SHA-512='));
    expect(args.join('\n')).not.toContain(password);
    // The credential in the form kafka-configs accepts from a file (checked against Kafka 4.4's ConfigCommand).
    expect(calls).toContain(`SCRAM-SHA-512=iterations=8192,password=${password}\n600\n`);
    // The temporary file is gone afterwards.
    expect(readdirSync(bin).filter((f) => f.startsWith('tmp'))).toEqual([]);
    // Literal grants on exactly the procedure's topics and the principal's own group.
    expect(calls).not.toContain('--resource-pattern-type');
    expect(calls).toContain('--topic\nprocedure.parking-potsdam.cases.v1');
    expect(calls).toContain('--group\nbo-parking-potsdam');
    expect(calls).toContain('--topic\nprocedure.parking-potsdam.status.v1');
  });

  it('refuses a short password, or one that kafka-configs would cut at a comma, before calling any tool', () => {
    for (const password of ['too-short', 'long-enough-but,has-a-comma']) {
      const result = run(password);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/at least 16 characters|must not contain a comma/);
    }
    expect(() => readFileSync(record)).toThrow();
  });

  it('no longer takes the password as an argument', () => {
    const result = run('correct-horse-battery-staple-42', 'correct-horse-battery-staple-42');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option');
    expect(execFileSync('bash', ['-n', SCRIPT]).toString()).toBe('');
  });
});
