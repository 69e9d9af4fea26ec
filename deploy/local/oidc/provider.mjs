// The embedded OpenID provider of the local stack and the test suite (oidc-provider, standards-compliant).
// Issues JWT access tokens for the Poststelle API (audience OIDC_AUDIENCE, default urn:poststelle:api) with the
// claims `roles`, `tenants`, `channels` and `mayAssert`, to the demo clients (client-credentials grant) and, through
// authorization code + PKCE and oidc-provider's dev interactions, to people signing in at the public `console` client.
//
// Environment:
//   OIDC_PORT=8090                  port (0: any free port; the chosen one is printed)
//   OIDC_HOST=127.0.0.1             interface to listen on (0.0.0.0 in a container)
//   OIDC_ISSUER                     default http://127.0.0.1:<port>
//   OIDC_AUDIENCE                   default urn:poststelle:api
//   OIDC_DATA_DIR=.data/oidc        signing key (signing-key.json) and demo client secrets (clients.json), made at
//                                   first start and kept, so tokens and secrets stay valid across restarts
//   OIDC_ACCESS_TOKEN_TTL=3600      seconds
//   OIDC_CONSOLE_REDIRECT_URIS      redirect URIs of the `console` client, comma-separated
//                                   (default http://127.0.0.1:8086/callback,http://localhost:8086/callback)
// Prints one line `{"issuer": "...", "port": ...}` on stdout once it listens.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { DEMO_CLIENTS, DEMO_USERS } from './clients.mjs';

const dataDir = resolve(process.env.OIDC_DATA_DIR ?? '.data/oidc');
const audience = process.env.OIDC_AUDIENCE ?? 'urn:poststelle:api';
const ttl = Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 3600);

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The RS256 signing key: made once, then kept (mode 0600). */
async function signingKey() {
  const path = join(dataDir, 'signing-key.json');
  const kept = await readJson(path);
  if (kept) return kept;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') };
  await writeFile(path, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/** Secrets of the confidential demo clients: made once, then kept (mode 0600); the token script reads them. */
async function clientSecrets() {
  const path = join(dataDir, 'clients.json');
  const kept = (await readJson(path)) ?? {};
  let changed = false;
  for (const c of DEMO_CLIENTS) {
    if (!kept[c.clientId]) {
      kept[c.clientId] = randomBytes(24).toString('base64url');
      changed = true;
    }
  }
  if (changed) await writeFile(path, JSON.stringify(kept, null, 2), { mode: 0o600 });
  return kept;
}

await mkdir(dataDir, { recursive: true, mode: 0o700 });
const key = await signingKey();
const secrets = await clientSecrets();

const requestedPort = Number(process.env.OIDC_PORT ?? 8090);
const { createServer } = await import('node:http');
const server = createServer();
await new Promise((res, rej) => {
  server.once('error', rej);
  server.listen(requestedPort, process.env.OIDC_HOST ?? '127.0.0.1', res);
});
const port = server.address().port;
const issuer = process.env.OIDC_ISSUER ?? `http://127.0.0.1:${port}`;

// Where the console (apps/console, port 8086) receives the authorization code; comma-separated.
const consoleRedirectUris = (process.env.OIDC_CONSOLE_REDIRECT_URIS ?? 'http://127.0.0.1:8086/callback,http://localhost:8086/callback')
  .split(',')
  .map((uri) => uri.trim())
  .filter(Boolean);

const claimsOf = (grant) => ({
  roles: grant.roles ?? [],
  tenants: grant.tenants ?? [],
  ...(grant.channels ? { channels: grant.channels } : {}),
  ...(grant.mayAssert ? { mayAssert: grant.mayAssert } : {}),
});

const provider = new Provider(issuer, {
  clients: [
    ...DEMO_CLIENTS.map((c) => ({
      client_id: c.clientId,
      client_secret: secrets[c.clientId],
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api',
      poststelle: claimsOf(c),
    })),
    {
      // People sign in here (authorization code + PKCE); a public client, no secret.
      client_id: 'console',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: consoleRedirectUris,
      // After sign-out the provider sends the browser back to the console's signed-out page.
      post_logout_redirect_uris: consoleRedirectUris.map((uri) => uri.replace(/\/callback$/, '/signed-out')),
      scope: 'openid api',
    },
  ],
  extraClientMetadata: { properties: ['poststelle'] },
  jwks: { keys: [key] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  scopes: ['openid', 'api'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resourceIndicator) => {
        if (resourceIndicator !== audience) throw new Provider.errors.InvalidTarget();
        return { scope: 'api', audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  // A person's roles and tenants come from the demo user of the same login name; a client's from its registration.
  extraTokenClaims: async (ctx, token) => {
    if (token.accountId) {
      const user = DEMO_USERS.find((u) => u.login === token.accountId);
      return claimsOf(user ?? {});
    }
    const client = ctx.oidc.client ?? (await ctx.oidc.provider.Client.find(token.clientId));
    return client?.poststelle ?? claimsOf({});
  },
  ttl: { AccessToken: ttl, ClientCredentials: ttl },
  renderError: (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
});
provider.proxy = false;
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive connections of token clients would otherwise hold the close
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
