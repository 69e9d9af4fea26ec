// `npm run -s token -- <client>`: prints a fresh access token of a demo client of the embedded OpenID provider
// (client-credentials grant; the secret is read from $OIDC_DATA_DIR/clients.json, written at the provider's first
// start). OIDC_ISSUER defaults to http://127.0.0.1:8090 (the provider `npm start` runs).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const client = process.argv[2];
const issuer = (process.env.OIDC_ISSUER ?? 'http://127.0.0.1:8090').replace(/\/$/, '');
const dataDir = resolve(process.env.OIDC_DATA_DIR ?? '.data/oidc');
const fail = (message) => {
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
};
let secrets;
try {
  secrets = JSON.parse(await readFile(join(dataDir, 'clients.json'), 'utf8'));
} catch {
  fail(`no ${join(dataDir, 'clients.json')}: start the provider first (npm start)`);
}
if (!client || !secrets[client]) fail(`usage: npm run -s token -- <client>, one of: ${Object.keys(secrets).join(', ')}`);
try {
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client}:${secrets[client]}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
  });
  const body = await res.json();
  if (!res.ok) fail(`${res.status} ${JSON.stringify(body)}`);
  process.stdout.write(`${body.access_token}\n`);
} catch (error) {
  fail(`cannot reach the provider at ${issuer}: ${error.message}`);
}
