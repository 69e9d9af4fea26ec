import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testInfra, uniqueName } from './env';
import { OidcProvider, type DemoClient } from './oidc-provider';
import { scanCentrePki, sealIndex, type ScanCentrePki } from './scan-fixtures';
import { SERVICES, ServiceProcess, freePort, type ServiceName } from './service-process';

export interface StackOptions {
  otlpEndpoint?: string;
  extraEnv?: Record<string, string>;
  /** Server the stack's database is created on (default: the shared one, testInfra.databaseUrl). */
  databaseServerUrl?: string;
  /** Brokers the services use (default: testInfra.kafkaBrokers), e.g. a 3-node cluster for fault tests. */
  kafkaBrokers?: string[];
  /**
   * Instances per service (default 1): each its own process with its own HTTP (and SMTP) port, sharing the database,
   * blob directory and Kafka namespace, so they share consumer groups and compete for the outbox relay.
   */
  instances?: number;
  /** An OpenID provider already running (shared by several stacks); default: the stack starts its own. */
  oidc?: OidcProvider;
  /** The demo client whose token `json(...)` and `fetch(...)` send unless told otherwise (default platform-admin). */
  defaultClient?: DemoClient;
  /**
   * Also start the operator console (apps/console) on a free port, after the services; the stack's own OpenID
   * provider then registers its callback as a redirect URI of the `console` client. Needs the stack's own provider.
   */
  console?: boolean;
}

/** A request of a test: `as` picks the demo client whose token is sent (`null`: no token at all). */
export type StackRequestInit = RequestInit & { as?: DemoClient | null };

/**
 * The five services as processes against the real broker and a fresh database, isolated from other test files by
 * a Kafka namespace (topic and group prefix) of their own.
 */
export class Stack {
  /** The first instance of each service. */
  readonly services = new Map<ServiceName, ServiceProcess>();
  /** Every instance of each service (see StackOptions.instances). */
  readonly replicas = new Map<ServiceName, ServiceProcess[]>();
  readonly namespace = uniqueName('e2e').toLowerCase();
  databaseUrl = '';
  private dropDatabase: (() => Promise<void>) | undefined;
  private blobDir = '';
  /** The stack's scan centre: its CA is intake's SCAN_CENTRE_TRUST_DIR (unless extraEnv sets one). */
  private scanCentreDir = '';
  private pki: ScanCentrePki | undefined;
  /** Port of intake's SMTP receiver (a free port per stack, so parallel stacks never collide). */
  smtpPort = 0;
  /** The OpenID provider whose tokens the services accept. */
  oidc: OidcProvider;
  private readonly ownOidc: boolean;

  /** The operator console (StackOptions.console), once started. */
  console: ServiceProcess | undefined;
  private consolePort = 0;

  constructor(private readonly options: StackOptions = {}) {
    this.ownOidc = !options.oidc;
    if (options.console && options.oidc) throw new Error('a stack with the console starts its own OpenID provider');
    this.oidc = options.oidc ?? new OidcProvider();
  }

  /** Base URL of the console (StackOptions.console). */
  get consoleUrl(): string {
    if (!this.console) throw new Error('the console is not started (StackOptions.console)');
    return this.console.baseUrl;
  }

  topic(logical: string): string {
    return `${this.namespace}.${logical}`;
  }

  get kafkaBrokers(): string[] {
    return this.options.kafkaBrokers ?? testInfra.kafkaBrokers;
  }

  url(service: ServiceName, instance = 0): string {
    return this.service(service, instance).baseUrl;
  }

  service(name: ServiceName, instance = 0): ServiceProcess {
    const s = this.replicas.get(name)?.[instance];
    if (!s) throw new Error(`${name}${instance ? ` instance ${instance}` : ''} not started`);
    return s;
  }

  /** Every instance of a service. */
  instancesOf(name: ServiceName): ServiceProcess[] {
    return this.replicas.get(name) ?? [];
  }

  /** Every service process of the stack. */
  processes(): ServiceProcess[] {
    return [...this.replicas.values()].flat();
  }

  async start(): Promise<this> {
    const db = await createTestDatabase(this.options.databaseServerUrl);
    this.databaseUrl = db.url;
    this.dropDatabase = db.drop;
    this.blobDir = await mkdtemp(join(tmpdir(), 'ps-blobs-'));
    const scanCentreTrustDir = await this.makeScanCentre();
    this.smtpPort = await freePort();
    if (this.options.console) {
      this.consolePort = await freePort();
      this.oidc = new OidcProvider({ consoleRedirectUris: [`http://127.0.0.1:${this.consolePort}/callback`] });
    }
    if (this.ownOidc) await this.oidc.start();
    const env: Record<string, string> = {
      OIDC_ISSUER: this.oidc.issuer,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: this.kafkaBrokers.join(','),
      KAFKA_NAMESPACE: this.namespace,
      BLOB_DIR: this.blobDir,
      CONSUMER_BACKOFF_MS: '50',
      SMTP_PORT: String(this.smtpPort),
      MAIL_AUTH_DNS: 'offline',
      // Bound to this host only: the tests reach the services on 127.0.0.1.
      HTTP_HOST: '127.0.0.1',
      // Intake refuses unsealed scan batch indexes by default: the stack's scan centre is trusted (sealIndex).
      SCAN_CENTRE_TRUST_DIR: scanCentreTrustDir,
      // Payment encrypts provider credentials at rest with this key (a fresh one per stack).
      PAYMENT_CREDENTIALS_KEY: randomBytes(32).toString('hex'),
      ...(this.options.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: this.options.otlpEndpoint } : {}),
      ...this.options.extraEnv,
    };
    const instances = this.options.instances ?? 1;
    for (const name of SERVICES) {
      const replicas: ServiceProcess[] = [];
      for (let i = 0; i < instances; i += 1) {
        const own: Record<string, string> = i === 0 ? {} : { SMTP_PORT: String(await freePort()) };
        replicas.push(new ServiceProcess(name, await freePort(), { ...env, ...own }, i));
      }
      this.replicas.set(name, replicas);
      this.services.set(name, replicas[0]!);
    }
    // Sequentially: migrations and topic creation then never race on a cold broker. First instances first, so the
    // further ones find the schema migrated.
    for (let i = 0; i < instances; i += 1) {
      for (const name of SERVICES) await this.service(name, i).start();
    }
    if (this.options.console) await this.startConsole(env);
    return this;
  }

  private async startConsole(env: Record<string, string>): Promise<void> {
    const url = (name: ServiceName) => this.url(name);
    this.console = new ServiceProcess('console', this.consolePort, {
      OIDC_ISSUER: env['OIDC_ISSUER']!,
      HTTP_HOST: '127.0.0.1',
      CONSOLE_PUBLIC_URL: `http://127.0.0.1:${this.consolePort}`,
      INTAKE_URL: url('intake'),
      ROUTING_URL: url('routing'),
      PAYMENT_URL: url('payment'),
      ERECHNUNG_URL: url('erechnung'),
      ARCHIVE_URL: url('archive'),
      ...this.options.extraEnv,
    });
    await this.console.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes(), ...(this.console ? [this.console] : [])].map((s) => s.stop()));
    await this.dropDatabase?.();
    if (this.blobDir) await rm(this.blobDir, { recursive: true, force: true });
    if (this.scanCentreDir) await rm(this.scanCentreDir, { recursive: true, force: true });
    if (this.ownOidc) await this.oidc.stop();
  }

  /** The stack's scan centre (a CA and its seal certificate), trusted by intake. */
  get scanCentre(): ScanCentrePki {
    if (!this.pki) throw new Error('stack not started');
    return this.pki;
  }

  /** The stack's scan centre's seal over a batch index (`Scan-Index-Signature`, base64; `index.xml.p7s`, DER). */
  sealIndex(index: Buffer | string): Promise<Buffer> {
    return sealIndex(index, this.scanCentre);
  }

  /** Header of a batch index sealed by the stack's scan centre: `{ 'scan-index-signature': <base64> }`. */
  async sealHeader(index: Buffer | string): Promise<{ 'scan-index-signature': string }> {
    return { 'scan-index-signature': (await this.sealIndex(index)).toString('base64') };
  }

  private async makeScanCentre(): Promise<string> {
    this.scanCentreDir = await mkdtemp(join(tmpdir(), 'ps-scan-centre-'));
    const pkiDir = join(this.scanCentreDir, 'pki');
    const trustDir = join(this.scanCentreDir, 'trust');
    await Promise.all([mkdir(pkiDir), mkdir(trustDir)]);
    this.pki = await scanCentrePki(pkiDir);
    await copyFile(this.pki.caPath, join(trustDir, 'scan-centre-ca.pem'));
    return trustDir;
  }

  logs(): string {
    return [...this.processes(), ...(this.console ? [this.console] : [])].map((s) => `--- ${s.label} ---\n${s.logs()}`).join('\n');
  }

  /** `{ authorization: 'Bearer ...' }` of a demo client (default: the stack's default client). */
  async authorization(client: DemoClient = this.options.defaultClient ?? 'platform-admin'): Promise<{ authorization: string }> {
    return this.oidc.authorization(client);
  }

  /** fetch against a service, with the bearer token of `init.as` (default: the stack's default client). */
  async fetch(service: ServiceName, path: string, init: StackRequestInit = {}, instance = 0): Promise<Response> {
    const { as, ...rest } = init;
    const headers = new Headers(rest.headers);
    const client = as === undefined ? (this.options.defaultClient ?? 'platform-admin') : as;
    if (client !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${await this.oidc.token(client)}`);
    return fetch(`${this.url(service, instance)}${path}`, { ...rest, headers });
  }

  async json<T = unknown>(
    service: ServiceName,
    path: string,
    init?: StackRequestInit,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.fetch(service, path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** Demo tenant set-up through the admin APIs: a procedure, a routing rule and a fee. */
  async seedRoute(opts: { procedureId: string; tenantArs: string; leikaKey: string; arsPrefix: string; fee?: string }): Promise<void> {
    const put = (service: ServiceName, path: string, body: unknown, method = 'PUT') =>
      this.json(service, path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const p = await put('routing', `/v1/admin/procedures/${opts.procedureId}`, {
      tenantArs: opts.tenantArs,
      name: `Procedure ${opts.procedureId}`,
    });
    if (p.status !== 200) throw new Error(`procedure seed failed: ${JSON.stringify(p.body)}`);
    const r = await put(
      'routing',
      '/v1/admin/routing-rules',
      { leikaKey: opts.leikaKey, arsPrefix: opts.arsPrefix, procedureId: opts.procedureId },
      'POST',
    );
    if (r.status !== 201) throw new Error(`rule seed failed: ${JSON.stringify(r.body)}`);
    if (opts.fee) {
      const f = await put('payment', `/v1/admin/fees/${opts.leikaKey}/${opts.arsPrefix}`, {
        amount: opts.fee,
        // Deferred: the case is routed at once (a mandatory-before-processing fee would hold it until paid).
        policy: 'deferred',
        bookingText: 'VERWALTUNGSGEBUEHR',
      });
      if (f.status !== 200) throw new Error(`fee seed failed: ${JSON.stringify(f.body)}`);
    }
  }
}
