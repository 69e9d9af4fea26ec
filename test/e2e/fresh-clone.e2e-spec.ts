import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, symlinkSync, utimesSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { testInfra, uniqueName } from '@poststelle/testing';

const ROOT = resolve(__dirname, '../..');
/** Build (tsc + XRechnung rules) ~1-2 min, start, demo with OCR ~1-2 min: bounded well below the test's timeout. */
const START_TIMEOUT_MS = 9 * 60 * 1000;

/** Five consecutive free ports (intake .. archive) from a random base, and base + 9 (the OpenID provider). */
async function freePortBase(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const all = await Promise.all([0, 1, 2, 3, 4, 5, 9].map((i) => free(base + i)));
    if (all.every(Boolean)) return base;
  }
  throw new Error('no five consecutive free ports found');
}

/** Runs `npm start` in `cwd` until it exits; kills its whole process group if it outlives the timeout. */
function npmStart(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => {
      output += `\n[fresh-clone test] npm start still running after ${START_TIMEOUT_MS / 1000} s: killed\n`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, START_TIMEOUT_MS);
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/**
 * Acceptance of issue 11: from a clone in an empty folder (no ../shared beside it), `npm start` comes up and the demo
 * completes. The clone is of HEAD, so it holds only committed work, as a user's clone would.
 */
describe('a fresh clone starts anywhere', () => {
  let dir = '';
  const database = `ps_fresh_${Date.now().toString(36)}`;

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true }); // node_modules in the clone is a symlink: only the link goes
    const admin = new Client({ connectionString: testInfra.databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }, 60000);

  it(
    'npm start in a clone with nothing beside it builds, starts the five services and completes the demo',
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'ps-fresh-'));
      const clone = join(dir, 'poststelle');
      execFileSync('git', ['clone', '--quiet', ROOT, clone]);
      expect(existsSync(join(dir, 'shared'))).toBe(false);
      // Dependencies are reused, not installed: a fresh `npm install` takes minutes and needs nothing this test
      // checks. The clone's node_modules is a symlink to this checkout's, and its lock file is dated back so that
      // start.sh sees the installation as current and never runs `npm install` (into this checkout's node_modules).
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
      utimesSync(join(clone, 'package-lock.json'), 0, 0);
      // Likewise the compiled XRechnung rules (a build cache from the same pinned Maven artifacts; `npm test` builds
      // them in CI's own fresh clone): build-rules.sh finds them up to date and start.sh goes on.
      const rules = join(ROOT, '.data', 'xrechnung-rules');
      if (existsSync(rules)) cpSync(rules, join(clone, '.data', 'xrechnung-rules'), { recursive: true });

      const portBase = await freePortBase();
      const { code, output } = await npmStart(clone, {
        ...process.env,
        POSTSTELLE_EXIT_AFTER_DEMO: '1',
        POSTSTELLE_PORT_BASE: String(portBase),
        POSTSTELLE_DB_NAME: database,
        // Own topics and consumer groups on the shared broker, no SMTP receiver on the default port, no DNS lookups.
        KAFKA_NAMESPACE: uniqueName('fresh').toLowerCase(),
        SMTP_PORT: '0',
        MAIL_AUTH_DNS: 'offline',
        DATABASE_URL: testInfra.databaseUrl,
      });
      if (code !== 0 || !output.includes('Demo completed')) console.log(output.slice(-8000));
      expect(output).not.toMatch(/ENOENT[^\n]*shared/);
      expect(output).toContain(`intake ready on http://127.0.0.1:${portBase}`);
      expect(output).toContain(`console ready on http://127.0.0.1:${portBase + 5}`);
      expect(output).toContain('Demo completed');
      expect(code).toBe(0);
    },
    START_TIMEOUT_MS + 60000,
  );
});
