import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { waitFor } from './env';

export const SERVICES = ['intake', 'routing', 'payment', 'erechnung', 'archive'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** What a ServiceProcess can run: a service, or the operator console (started only when a stack asks for it). */
export type ProcessName = ServiceName | 'console';

const ROOT = resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** One service started as its own OS process from the build in dist/ (as in production). */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private output: string[] = [];
  /** Error-level log lines (JSON logs), the first of each kind: kept apart so a busy log cannot push them out. */
  readonly errorLines: string[] = [];
  private readonly errorKinds = new Set<string>();
  readonly baseUrl: string;

  constructor(
    readonly name: ProcessName,
    readonly port: number,
    private readonly env: Record<string, string>,
    /** 0 for the first instance of a service, 1 for the second, ... */
    readonly instance = 0,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** `intake`, or `intake#2` for a second instance. */
  get label(): string {
    return this.instance === 0 ? this.name : `${this.name}#${this.instance + 1}`;
  }

  /** Whether the process is running (started and neither exited nor killed). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [resolve(ROOT, 'scripts/run-service.js'), this.name], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...this.env, HTTP_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.output.push(text);
      if (this.output.length > 400) this.output.splice(0, 100);
      if (text.includes('"level":"error"')) {
        for (const line of text.split('\n').filter((l) => l.includes('"level":"error"'))) {
          // One line per distinct message and error, so a flood of one kind cannot hide another.
          const kind = `${/"msg":"[^"]*"/.exec(line)?.[0]} ${/"error":"[^"]{0,80}/.exec(line)?.[0]?.replace(/\d+/g, 'N')}`;
          if (this.errorKinds.has(kind) || this.errorLines.length >= 200) continue;
          this.errorKinds.add(kind);
          this.errorLines.push(line);
        }
      }
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const child = this.child;
    await waitFor(
      `${this.label} to become healthy`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.label} exited with ${child.exitCode}:\n${this.logs()}`);
        const res = await fetch(`${this.baseUrl}/health`);
        return res.status === 200;
      },
      60000,
      250,
    );
  }

  logs(): string {
    return this.output.join('').slice(-6000);
  }

  /** SIGKILL: no shutdown hooks run, exactly like a crash. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM: graceful shutdown (drain in-flight work). */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
  }

  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }
}
