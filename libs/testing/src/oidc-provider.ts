import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

const ROOT = resolve(__dirname, '../../..');

/** Demo clients of the embedded provider (deploy/local/oidc/clients.mjs). */
export type DemoClient =
  | 'channel-demo'
  | 'channel-untrusted'
  | 'scan-centre'
  | 'operator-potsdam'
  | 'operator-other'
  | 'admin-potsdam'
  | 'auditor-demo'
  | 'platform-admin';

export const API_AUDIENCE = 'urn:poststelle:api';

export interface OidcProviderOptions {
  /** Redirect URIs of the public `console` client (OIDC_CONSOLE_REDIRECT_URIS), e.g. a test console's callback. */
  consoleRedirectUris?: string[];
}

/** The redirect URI `signIn` uses unless told otherwise; always registered on the test provider. */
const TEST_REDIRECT_URI = 'http://127.0.0.1:8099/callback';

/**
 * The embedded OpenID provider (deploy/local/oidc/provider.mjs) as its own process on a free port, with its own
 * signing key and client secrets in a temporary folder. Tokens come from its token endpoint (client credentials).
 */
export class OidcProvider {
  private child: ChildProcess | undefined;
  private dataDir = '';
  private output = '';
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  issuer = '';

  constructor(private readonly options: OidcProviderOptions = {}) {}

  async start(): Promise<this> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'ps-oidc-'));
    const child = spawn(process.execPath, [resolve(ROOT, 'deploy/local/oidc/provider.mjs')], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        OIDC_PORT: '0',
        OIDC_DATA_DIR: this.dataDir,
        OIDC_AUDIENCE: API_AUDIENCE,
        OIDC_CONSOLE_REDIRECT_URIS: [TEST_REDIRECT_URI, ...(this.options.consoleRedirectUris ?? [])].join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.issuer = await new Promise<string>((res, rej) => {
      let line = '';
      const timer = setTimeout(() => rej(new Error(`OpenID provider did not start:\n${this.output}`)), 30000);
      child.once('exit', (code) => rej(new Error(`OpenID provider exited with ${code}:\n${this.output}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        line += chunk.toString('utf8');
        const end = line.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        res((JSON.parse(line.slice(0, end)) as { issuer: string }).issuer);
      });
    });
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      child.kill('SIGTERM');
      await exited;
    }
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** An access token of a demo client from the provider's token endpoint (kept until a minute before it expires). */
  async token(client: DemoClient): Promise<string> {
    const kept = this.tokens.get(client);
    if (kept && kept.expiresAt > Date.now() + 60000) return kept.token;
    const secrets = JSON.parse(await readFile(join(this.dataDir, 'clients.json'), 'utf8')) as Record<string, string>;
    const secret = secrets[client];
    if (!secret) throw new Error(`no demo client ${client}`);
    const res = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!res.ok || !body.access_token) throw new Error(`token for ${client} refused: ${res.status} ${JSON.stringify(body)}`);
    this.tokens.set(client, { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1000 });
    return body.access_token;
  }

  /** `{ authorization: 'Bearer ...' }` of a demo client. */
  async authorization(client: DemoClient): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.token(client)}` };
  }

  /**
   * A person's access token, as the console gets it: authorization code + PKCE through the public `console` client,
   * signing in as `login` on the provider's development login page (any password) and consenting.
   */
  async signIn(login: string, redirectUri = TEST_REDIRECT_URI): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(new URL(url, this.issuer), { ...init, headers, redirect: 'manual' });
      for (const cookie of res.headers.getSetCookie()) {
        const pair = cookie.split(';')[0]!;
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return res;
    };
    const authorize = new URLSearchParams({
      client_id: 'console',
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid api',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
    });
    let res = await go(`/auth?${authorize.toString()}`);
    let location = res.headers.get('location');
    for (let step = 0; step < 8 && location && !location.startsWith(redirectUri); step += 1) {
      res = await go(location);
      if (res.status === 200) {
        const page = await res.text();
        const action = /action="([^"]+)"/.exec(page)?.[1];
        if (!action) throw new Error(`sign-in page without a form: ${page.slice(0, 300)}`);
        const form: Record<string, string> = page.includes('name="login"')
          ? { prompt: 'login', login, password: 'any' }
          : { prompt: 'consent' };
        res = await go(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        });
      }
      location = res.headers.get('location');
    }
    const code = location?.startsWith(redirectUri) ? new URL(location).searchParams.get('code') : null;
    if (!code) throw new Error(`sign-in of ${login} did not come back with a code (${res.status} ${location})`);
    const token = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: 'console',
        code_verifier: verifier,
      }),
    });
    const body = (await token.json()) as { access_token?: string };
    if (!token.ok || !body.access_token) throw new Error(`code exchange refused: ${token.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /**
   * A token signed with the provider's own key but with claims of the test's choosing (e.g. an `exp` in the past):
   * to prove the services check what a valid signature alone does not.
   */
  async forge(claims: Record<string, unknown>, options: { wrongKey?: boolean } = {}): Promise<string> {
    const jwk = JSON.parse(await readFile(join(this.dataDir, 'signing-key.json'), 'utf8')) as JWK & { kid: string };
    const key: KeyLike | Uint8Array = options.wrongKey ? (await generateKeyPair('RS256')).privateKey : await importJWK(jwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: ['platform-admin'], tenants: [], client_id: 'platform-admin', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid })
      .setSubject('platform-admin')
      .setIssuer(typeof claims['iss'] === 'string' ? claims['iss'] : this.issuer)
      .setAudience(typeof claims['aud'] === 'string' ? claims['aud'] : API_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(typeof claims['exp'] === 'number' ? claims['exp'] : now + 300)
      .setJti(`forged-${now}`)
      .sign(key);
  }
}
