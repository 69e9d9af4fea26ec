import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Stack, portalSubmission, waitFor } from '@poststelle/testing';

const TENANT = '120540000000';
const LEIKA = '99050012104000';

interface Payment {
  paymentId: string;
  status: string;
  history: { to: string; source: string }[];
}

/** The fake XBezahldienste platform as its own process (tools/fake-payment-provider/server.mjs). */
async function startFakeProvider(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [resolve(__dirname, '../../tools/fake-payment-provider/server.mjs')], {
    env: { PATH: process.env['PATH'] ?? '', FAKE_PROVIDER_CREDENTIALS: 'potsdam:geheim' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`fake provider exited with ${code}`)));
    child.stdout.once('data', (chunk: Buffer) => res((JSON.parse(chunk.toString('utf8').split('\n')[0] ?? '{}') as { url: string }).url));
  });
  return { child, url };
}

describe('ePayment: online payment through a provider after XBezahldienste (fake provider process)', () => {
  let stack: Stack;
  let provider: { child: ChildProcess; url: string };

  const control = (txId: string, body: unknown) =>
    fetch(`${provider.url}/_control/${txId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const queries = async (txId: string) =>
    ((await (await fetch(`${provider.url}/_stats/${txId}`)).json()) as { statusQueries: number }).statusQueries;
  const payment = async (caseId: string) =>
    (await stack.json<Payment>('payment', `/v1/cases/${caseId}/payment`, { as: 'operator-potsdam' })).body;

  /** A case with a fee, its online payment started; returns ids and the provider's transaction id. */
  const startOnline = async () => {
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(portalSubmission()),
    });
    const caseId = res.body.caseId;
    await waitFor('payment recorded', async () => (await stack.json('payment', `/v1/cases/${caseId}/payment`)).status === 200);
    const started = await stack.json<{ paymentId: string; paypageUrl: string }>('payment', `/v1/cases/${caseId}/payment/online`, {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ returnUrl: 'https://portal.example/return?status=paid' }),
    });
    expect(started.status).toBe(200);
    const txId = started.body.paypageUrl.split('/').at(-1)!;
    return { caseId, paymentId: started.body.paymentId, paypageUrl: started.body.paypageUrl, txId };
  };
  const citizenReturns = (paymentId: string) =>
    stack.fetch('payment', `/v1/payments/${paymentId}/returned?status=paid&paid=true`, { as: 'channel-demo', method: 'POST' });

  beforeAll(async () => {
    provider = await startFakeProvider();
    stack = await new Stack({
      extraEnv: { PROVIDER_POLL_MS: '100', PROVIDER_BACKOFF_BASE_MS: '300', PROVIDER_BACKOFF_MAX_MS: '1000', PROVIDER_TIMEOUT_MS: '500' },
    }).start();
    await stack.seedRoute({ procedureId: 'parking-potsdam', tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054', fee: '30.50' });
    const config = (as: 'admin-potsdam' | 'operator-potsdam', tenant = TENANT) =>
      stack.json(`payment`, `/v1/admin/payment-provider/${tenant}`, {
        as,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: provider.url, merchantId: 'potsdam/parken', credentials: 'potsdam:geheim' }),
      });
    expect((await config('operator-potsdam')).status).toBe(403);
    expect((await config('admin-potsdam', '010010000000')).status).toBe(403);
    expect((await config('admin-potsdam')).status).toBe(200);
  }, 120000);

  afterAll(async () => {
    await stack?.stop();
    provider?.child.kill('SIGTERM');
  }, 60000);

  it('the citizen’s return with "paid" in the URL books nothing; only the provider’s BOOKED answer books, once', async () => {
    const { caseId, paymentId, paypageUrl, txId } = await startOnline();
    expect(paypageUrl).toMatch(new RegExp(`^${provider.url}/paypage/`));
    expect((await citizenReturns(paymentId)).status).toBe(202);
    await waitFor('provider asked', async () => (await queries(txId)) >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect((await payment(caseId)).status).toBe('INITIAL');

    const paid = await fetch(paypageUrl, { redirect: 'manual' });
    expect(paid.status).toBe(302);
    await citizenReturns(paymentId);
    await waitFor('booked from the provider’s answer', async () => (await payment(caseId)).status === 'BOOKED');
    for (let i = 0; i < 3; i += 1) await citizenReturns(paymentId);
    await control(txId, { script: ['FAILED', 'CANCELED'] }); // contradictory later answers change nothing
    await new Promise((r) => setTimeout(r, 700));
    const p = await payment(caseId);
    expect(p.status).toBe('BOOKED');
    expect(p.history.filter((h) => h.to === 'BOOKED')).toEqual([expect.objectContaining({ source: 'provider' })]);
  }, 60000);

  it('a provider that times out or fails is asked again later, not given up', async () => {
    const { caseId, txId } = await startOnline();
    await control(txId, { status: 'PAYED', slowMs: 1500 });
    await waitFor('asked again after timeouts', async () => (await queries(txId)) >= 3, 20000);
    expect((await payment(caseId)).status).toBe('INITIAL');
    await control(txId, { slowMs: 0, failNext: 2 });
    await waitFor('booked once the provider answers', async () => (await payment(caseId)).status === 'BOOKED', 20000);
  }, 60000);

  it('a portal’s claim that its own transaction is BOOKED is checked with the provider, amount included', async () => {
    // The portal took 10.00 at the platform itself and claims the 30.50 fee as BOOKED.
    const created = await fetch(`${provider.url}/paymenttransaction/potsdam/parken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('potsdam:geheim').toString('base64')}` },
      body: JSON.stringify({ purpose: 'PORTAL', amount: '10.00', redirectUrls: { success: 'https://portal.example/ok' } }),
    });
    const { paymentTransactionId } = (await created.json()) as { paymentTransactionId: string };
    await control(paymentTransactionId, { status: 'PAYED' });
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(
        portalSubmission({
          paymentInformation: {
            transactionReference: 'P-1',
            transactionId: paymentTransactionId,
            paymentMethod: 'CREDITCARD',
            status: 'BOOKED',
            grossAmount: '30.50',
          },
        }),
      ),
    });
    await waitFor('checked with the provider', async () => {
      const r = await stack.json<Payment>('payment', `/v1/cases/${res.body.caseId}/payment`);
      return r.status === 200 && r.body.status !== 'INITIAL';
    });
    const p = await payment(res.body.caseId);
    expect(p.status).toBe('PARTIALLY_PAID');
    expect(p.history.at(-1)).toMatchObject({ source: 'provider' });
  }, 60000);
});
