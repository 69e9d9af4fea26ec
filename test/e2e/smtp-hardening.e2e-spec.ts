import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Stack, testPki, waitFor } from '@poststelle/testing';

const MAX_CONNECTIONS = 3;
const MAX_PER_MINUTE = 2;

/** The first line a fresh SMTP connection reads: the greeting, or the refusal when the server is full. */
function greeting(port: number): Promise<{ line: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n')) resolve({ line: text.split('\r\n')[0]!, close: () => socket.destroy() });
    });
    socket.on('error', reject);
  });
}

/**
 * intake's SMTP receiver as an authority exposes it: STARTTLS with the configured certificate (required here), a cap
 * on simultaneous connections, and a per-connection message rate; what is refused is deferred (4xx), never dropped.
 */
describe('SMTP receiver: STARTTLS, connection limit, per-connection rate', () => {
  let stack: Stack;
  let dir: string;
  let ca: Buffer;
  const tlsTransport = (pool = false) =>
    createTransport({
      host: '127.0.0.1',
      port: stack.smtpPort,
      secure: false,
      requireTLS: true,
      // The chain is checked against the test CA; the certificate names no IP address, so the name check is skipped.
      tls: { ca, checkServerIdentity: () => undefined },
      ...(pool ? { pool: true, maxConnections: 1, maxMessages: 100 } : {}),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ps-smtp-tls-'));
    const pki = await testPki(dir, { ca: '/CN=Poststelle Test CA', signer: '/CN=mx.stadt.example' });
    ca = readFileSync(pki.caPath);
    stack = await new Stack({
      extraEnv: {
        SMTP_TLS_CERT_FILE: pki.certPath,
        SMTP_TLS_KEY_FILE: pki.keyPath,
        SMTP_REQUIRE_TLS: 'true',
        SMTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        SMTP_MAX_MESSAGES_PER_CONNECTION_PER_MINUTE: String(MAX_PER_MINUTE),
      },
    }).start();
  }, 120000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60000);

  it('takes mail over STARTTLS and refuses mail sent in the clear (530)', async () => {
    const tls = tlsTransport();
    const sent = await tls.sendMail({ from: 'erika@example.org', to: 'antraege@stadt.example', subject: 'Antrag', text: 'Hallo' });
    expect(sent.response).toMatch(/^250 OK queued as [0-9a-f-]{36}/);
    tls.close();

    const plain = createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    await expect(
      plain.sendMail({ from: 'erika@example.org', to: 'antraege@stadt.example', subject: 'Antrag', text: 'Hallo' }),
    ).rejects.toMatchObject({ responseCode: 530 });
    plain.close();
  }, 60000);

  it('defers messages over the per-connection rate with 451, and takes them on a later connection', async () => {
    const pooled = tlsTransport(true);
    const mail = (i: number) => ({ from: 'erika@example.org', to: 'antraege@stadt.example', subject: `Nr. ${i}`, text: `Nachricht ${i}` });
    for (let i = 1; i <= MAX_PER_MINUTE; i += 1) expect((await pooled.sendMail(mail(i))).response).toMatch(/^250 /);
    await expect(pooled.sendMail(mail(MAX_PER_MINUTE + 1))).rejects.toMatchObject({ responseCode: 451 });
    pooled.close();
    // A new connection has its own budget: the deferred message goes through when the sender retries.
    const retry = tlsTransport();
    expect((await retry.sendMail(mail(MAX_PER_MINUTE + 1))).response).toMatch(/^250 /);
    retry.close();
  }, 60000);

  it(`serves at most ${MAX_CONNECTIONS} connections at once; one more is told 421 and the service stays healthy`, async () => {
    const open = [];
    for (let i = 0; i < MAX_CONNECTIONS; i += 1) open.push(await greeting(stack.smtpPort));
    expect(open.map((c) => c.line.slice(0, 4))).toEqual(Array(MAX_CONNECTIONS).fill('220 '));
    const extra = await greeting(stack.smtpPort);
    expect(extra.line).toMatch(/^421 .*Too many connected clients/);
    extra.close();
    open.forEach((c) => c.close());
    await waitFor('a free slot again', async () => {
      const again = await greeting(stack.smtpPort);
      again.close();
      return again.line.startsWith('220 ');
    });
    expect((await stack.json('intake', '/health')).status).toBe(200);
  }, 60000);
});
