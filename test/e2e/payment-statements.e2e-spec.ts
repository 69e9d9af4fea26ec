import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { KafkaProbe, Stack, camt053, camt054, pdfToText, portalSubmission, waitFor } from '@poststelle/testing';

const CAMT = resolve(__dirname, '../../../shared/testdata/camt');
const LEIKA = '99050012104000';
const TENANT = '120540000000';
const GATED = '99050012104999';

interface Payment {
  paymentId: string;
  kassenzeichen: string;
  portalReference: string | null;
  status: string;
  amountDue: string;
  amountPaid: string;
  history: { from: string | null; to: string; reason: string; source: string }[];
}
interface ImportStatus {
  importId: string;
  state: string;
  total: number;
  done: number;
  booked: number;
  queued: number;
}

describe('ePayment: fees, Kassenzeichen, bank statements and the clerk queue', () => {
  let stack: Stack;
  let dropDir: string;
  let probe: KafkaProbe;
  let db: Client;

  const json = <T>(path: string, init: Parameters<Stack['json']>[2] = {}) => stack.json<T>('payment', path, init);
  const importXml = (xml: string, as: 'admin-potsdam' | 'platform-admin' = 'admin-potsdam') =>
    json<{ importId: string; alreadyImported: boolean; total: number; message?: string; detail?: string; code?: string }>(
      `/v1/statements${as === 'platform-admin' ? `?tenant=${TENANT}` : ''}`,
      { as, method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml },
    );
  const finished = (importId: string, as: 'admin-potsdam' | 'platform-admin' = 'admin-potsdam') =>
    waitFor(`import ${importId} done`, async () => {
      const r = await json<ImportStatus>(`/v1/statements/${importId}`, { as });
      return r.body.state === 'done' && r.body;
    });
  const submit = async (overrides: Record<string, unknown> = {}) => {
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      as: 'channel-demo',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(portalSubmission(overrides)),
    });
    expect(res.status).toBe(202);
    return res.body.caseId;
  };
  const paymentOf = (caseId: string) =>
    waitFor(`payment of ${caseId}`, async () => {
      const r = await json<Payment>(`/v1/cases/${caseId}/payment`, { as: 'operator-potsdam' });
      return r.status === 200 && r.body;
    });

  beforeAll(async () => {
    dropDir = await mkdtemp(join(tmpdir(), 'ps-statements-'));
    stack = await new Stack({ extraEnv: { STATEMENT_DROP_DIR: dropDir, STATEMENT_DROP_POLL_MS: '200' } }).start();
    await stack.seedRoute({ procedureId: 'parking-potsdam', tenantArs: TENANT, leikaKey: LEIKA, arsPrefix: '12054' });
    await stack.seedRoute({ procedureId: 'gated-potsdam', tenantArs: TENANT, leikaKey: GATED, arsPrefix: '12054' });
    probe = await new KafkaProbe().start([stack.topic('procedure.gated-potsdam.cases.v1'), stack.topic('payments.events.v1')]);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 120000);

  afterAll(async () => {
    await probe?.stop();
    await db?.end();
    await stack?.stop();
    await rm(dropDir, { recursive: true, force: true });
  }, 60000);

  it('fees: a tenant-admin adds versions for its own region only, audited under its subject; the version in effect applies', async () => {
    const put = (arsPrefix: string, body: unknown, as: 'admin-potsdam' | 'operator-potsdam' = 'admin-potsdam') =>
      json<Record<string, unknown>>(`/v1/admin/fees/${LEIKA}/${arsPrefix}`, {
        as,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put('12', { amount: '10.00', policy: 'deferred', bookingText: 'LAND' })).status).toBe(403);
    expect((await put('12054', { amount: '10.00', policy: 'deferred', bookingText: 'zu lang und klein geschrieben' })).status).toBe(422);
    expect((await put('12054', { amount: '10.00', policy: 'deferred', bookingText: 'X' }, 'operator-potsdam')).status).toBe(403);
    const v1 = await put('12054', { amount: '30.50', policy: 'deferred', bookingText: 'BEWOHNERPARKEN' });
    expect(v1.body).toMatchObject({ version: 1, amount: '30.50', policy: 'deferred' });
    const future = await put('12054', { amount: '99.00', policy: 'deferred', bookingText: 'AB 2099', validFrom: '2099-01-01T00:00:00Z' });
    expect(future.body).toMatchObject({ version: 2 });
    const audit = await json<{ actor: string; version: number }[]>('/v1/admin/fees/audit', { as: 'admin-potsdam' });
    expect(audit.body.map((a) => [a.actor, a.version])).toEqual([
      ['admin-potsdam', 1],
      ['admin-potsdam', 2],
    ]);
  });

  it('issues its own Kassenzeichen per payable case, keeps the portal’s as reference only, and hides it from another tenant', async () => {
    const caseId = await submit({
      paymentInformation: {
        transactionReference: 'PORTAL-4711',
        transactionId: 'tx-1',
        paymentMethod: 'GIROPAY',
        status: 'BOOKED',
        grossAmount: '30.50',
      },
    });
    const payment = await paymentOf(caseId);
    expect(payment).toMatchObject({ status: 'INITIAL', amountDue: '30.50', amountPaid: '0.00', portalReference: 'PORTAL-4711' });
    expect(payment.kassenzeichen).toMatch(/^12054-\d{4}-\d{7}-\d$/);
    expect(payment.history[0]!.reason).toContain('only believed from the provider');
    expect((await json(`/v1/cases/${caseId}/payment`, { as: 'operator-other' })).status).toBe(404);
    expect((await json(`/v1/payments/${payment.paymentId}`, { as: 'operator-other' })).status).toBe(404);
  });

  it('imports every valid camt file of the shared test data with exact amounts, once; refuses the wrong one clearly', async () => {
    // The synthetic fixtures reuse their message and statement ids, so each is imported for a tenant of its own (the
    // account need not be registered); under one tenant a different file with the same ids is refused (below).
    const files = (await readdir(CAMT)).filter((f) => f.endsWith('.xml')).sort();
    for (const [n, file] of files.entries()) {
      const tenant = `0500000000${String(n).padStart(2, '0')}`;
      const xml = await readFile(join(CAMT, file), 'utf8');
      const post = () =>
        json<{ importId: string; alreadyImported: boolean; total: number; message?: string; detail?: string }>(
          `/v1/statements?tenant=${tenant}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/xml' },
            body: xml,
          },
        );
      const res = await post();
      if (file.includes('wrong')) {
        expect(res.status).toBe(422);
        expect(res.body.detail).toMatch(/has no Stmt \(statement\) element/);
        continue;
      }
      expect({ file, status: res.status }).toEqual({ file, status: 202 });
      const done = await finished(res.body.importId, 'platform-admin');
      expect(done.done).toBe(done.total);
      const items = await json<{ amount: string }[]>(`/v1/statements/${res.body.importId}/items`);
      expect(items.body).toHaveLength(res.body.total);
      for (const item of items.body) expect({ file, found: xml.includes(`>${item.amount}<`) }).toEqual({ file, found: true });
      const again = await post();
      expect(again.body).toMatchObject({
        importId: res.body.importId,
        alreadyImported: true,
        message: 'already imported: nothing was booked again',
      });
    }
    const minimal = await importXml(await readFile(join(CAMT, 'genkgo__camt053.v2.minimal.xml'), 'utf8'));
    expect(minimal.status).toBe(202);
    const sameIds = await importXml(await readFile(join(CAMT, 'genkgo__camt053.v2.minimal.ultimate.xml'), 'utf8'));
    expect(sameIds.status).toBe(409);
    expect(sameIds.body.detail).toMatch(/imported before .* with different content/);
  });

  it('books partial and over-payments with the history saying why; a return (AC06) moves the payment to RETURNED', async () => {
    const caseId = await submit();
    const { kassenzeichen: kz, paymentId } = await paymentOf(caseId);
    const [head, tail] = [kz.slice(0, 12), kz.slice(12)];
    const first = await importXml(
      camt053(`MSG-${randomUUID()}`, 'S-1', [
        [{ amount: '10.00', ustrd: [`GEBUEHR KZ ${head}`, `${tail} DANKE`] }],
        [
          { amount: '20.50', structuredRef: kz.replace(/-/g, ' '), charges: '0.35' },
          { amount: '7.00', ustrd: ['SPENDE OHNE ZEICHEN'] },
        ],
      ]),
    );
    const done = await finished(first.body.importId);
    expect(done).toMatchObject({ total: 3, booked: 2, queued: 1 });
    let payment = (await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' })).body;
    expect(payment).toMatchObject({ status: 'BOOKED', amountPaid: '30.50' });
    expect(payment.history.map((h) => h.to)).toEqual(['INITIAL', 'PARTIALLY_PAID', 'BOOKED']);
    expect(payment.history[1]!.reason).toContain('10.00 of 30.50 paid, 20.50 missing');
    expect(payment.history[2]!.reason).toContain('bank charges 0.35');

    const over = await importXml(camt053(`MSG-${randomUUID()}`, 'S-2', [[{ amount: '5.00', ustrd: [kz] }]]));
    await finished(over.body.importId);
    payment = (await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' })).body;
    expect(payment).toMatchObject({ status: 'OVERPAID', amountPaid: '35.50' });
    expect(payment.history.at(-1)!.reason).toContain('5.00 more than 30.50 due');

    const ret = await importXml(
      camt053(`MSG-${randomUUID()}`, 'S-3', [[{ amount: '35.50', direction: 'DBIT', ustrd: [kz], returnReason: 'AC06' }]]),
    );
    await finished(ret.body.importId);
    payment = (await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' })).body;
    expect(payment).toMatchObject({ status: 'RETURNED', amountPaid: '0.00' });
    expect(payment.history.at(-1)!.reason).toContain('AC06');
  });

  it('the clerk queue lists unmatched items with the reason; a clerk assigns one to a case or marks it not ours', async () => {
    const caseId = await submit();
    const { paymentId } = await paymentOf(caseId);
    const res = await importXml(
      camt053(`MSG-${randomUUID()}`, 'S-Q', [
        [{ amount: '30.50', ustrd: ['PARKAUSWEIS ERIKA MUSTERMANN'] }],
        [{ amount: '12.00', ustrd: ['KZ 12054-2026-9999999-0'] }],
      ]),
    );
    await finished(res.body.importId);
    type Item = { itemId: string; importId: string; amount: string; reason: string };
    const open = (await json<Item[]>('/v1/payment-queue', { as: 'operator-potsdam' })).body.filter((i) => i.importId === res.body.importId);
    expect(open.map((i) => i.amount)).toEqual(['30.50', '12.00']);
    expect(open[0]!.reason).toMatch(/no Kassenzeichen .* open payment\(s\) of this tenant are due exactly 30.50/);
    expect(
      (await json<Item[]>('/v1/payment-queue', { as: 'operator-other' })).body.filter((i) => i.importId === res.body.importId),
    ).toEqual([]);

    const assigned = await json<{ status: string }>(`/v1/payment-queue/${open[0]!.itemId}/assign`, {
      as: 'operator-potsdam',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ caseId }),
    });
    expect(assigned.body).toMatchObject({ status: 'BOOKED' });
    const payment = (await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' })).body;
    expect(payment.history.at(-1)!.source).toBe('clerk:operator-potsdam');
    const notOurs = await json(`/v1/payment-queue/${open[1]!.itemId}/not-ours`, {
      as: 'operator-potsdam',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notOurs.status).toBe(200);
    expect((await json(`/v1/payment-queue/${open[1]!.itemId}/not-ours`, { as: 'operator-potsdam', method: 'POST' })).status).toBe(409);
  });

  it('imports a statement from the drop folder of its tenant and sets a refused one aside with the reason', async () => {
    const caseId = await submit();
    const { kassenzeichen, paymentId } = await paymentOf(caseId);
    await mkdir(join(dropDir, TENANT), { recursive: true });
    await writeFile(
      join(dropDir, TENANT, 'good.xml'),
      camt053(`MSG-${randomUUID()}`, 'S-D', [[{ amount: '30.50', ustrd: [kassenzeichen] }]]),
    );
    await writeFile(join(dropDir, TENANT, 'bad.xml'), await readFile(join(CAMT, 'genkgo__camt053.v2.wrong.xml')));
    await waitFor('booked from the drop folder', async () => {
      const r = await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' });
      return r.body.status === 'BOOKED';
    });
    const error = await waitFor('refusal noted', () =>
      readFile(join(dropDir, TENANT, 'failed', 'bad.xml.error.txt'), 'utf8').catch(() => undefined),
    );
    expect(error).toMatch(/has no Stmt/);
  });

  it('holds a case whose fee is mandatory before processing until a statement books it, then releases it; a return tells the caseworker', async () => {
    const fee = await json(`/v1/admin/fees/${GATED}/12054`, {
      as: 'admin-potsdam',
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '25.00', policy: 'mandatory-before-processing', bookingText: 'GEWERBEANMELDUNG' }),
    });
    expect(fee.status).toBe(200);
    // Set-up only: wait until routing has its copy of the policy (it arrives by event).
    await waitFor(
      'routing knows the policy',
      async () => (await db.query('SELECT 1 FROM routing.payment_gate_policies WHERE leika_key = $1', [GATED])).rowCount === 1,
    );
    const caseId = await submit({ publicServiceType: { identifier: `urn:de:fim:leika:leistung:${GATED}`, name: 'Gewerbeanmeldung' } });
    const status = () =>
      stack.json<{ status: string; history: { message: string | null }[] }>('routing', `/v1/cases/${caseId}/status`, {
        as: 'operator-potsdam',
      });
    const { kassenzeichen } = await paymentOf(caseId);
    await waitFor('held with the Kassenzeichen', async () => {
      const r = await status();
      return r.body.status === 'ACTION_REQUIRED' && r.body.history.some((h) => h.message?.includes(kassenzeichen));
    });
    expect(probe.messages.filter((m) => m.key === caseId && m.topic.includes('procedure.'))).toEqual([]);

    const paid = await importXml(camt053(`MSG-${randomUUID()}`, 'S-G', [[{ amount: '25.00', ustrd: [`KASSENZEICHEN ${kassenzeichen}`] }]]));
    await finished(paid.body.importId);
    const [released] = await probe.waitForCount((m) => m.key === caseId && m.topic.includes('procedure.'), 1, 30000);
    expect(JSON.parse(released!.value!)).toMatchObject({ type: 'case.routed', payload: { case: { caseId } } });

    const returned = await importXml(
      camt053(`MSG-${randomUUID()}`, 'S-R', [[{ amount: '25.00', direction: 'DBIT', ustrd: [kassenzeichen], returnReason: 'MS03' }]]),
    );
    await finished(returned.body.importId);
    expect((await paymentOf(caseId)).status).toBe('RETURNED');
    await waitFor('caseworker told of the return', async () => {
      const r = await status();
      return r.body.history.some((h) => h.message?.includes('returned by the bank (reason MS03)'));
    });
  }, 90000);

  it('fee notice PDF with the Kassenzeichen; one booking for a credit in camt.054 and camt.053; a refund; the case timeline says so', async () => {
    const payee = (iban: string) =>
      json(`/v1/admin/payment-payee/${TENANT}`, {
        as: 'admin-potsdam',
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authorityName: 'Landeshauptstadt Potsdam', accountHolder: 'Stadtkasse Potsdam', iban, bic: 'BYLADEM1001' }),
      });
    expect((await payee('DE03120300000000202051')).status).toBe(422);
    expect((await payee('DE02120300000000202051')).status).toBe(200);
    const caseId = await submit();
    const { kassenzeichen, paymentId } = await paymentOf(caseId);

    const notice = await stack.fetch('payment', `/v1/cases/${caseId}/payment/notice`, { as: 'operator-potsdam' });
    expect(notice.status).toBe(200);
    expect(notice.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await notice.arrayBuffer());
    const text = (await pdfToText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain(`Kassenzeichen ${kassenzeichen}`);
    expect(text).toContain('Gebühr 30,50 EUR');
    expect(text).toContain('IBAN DE02 1203 0000 0000 2020 51');
    const sha512 = createHash('sha512').update(pdf).digest('hex');
    expect(notice.headers.get('etag')).toBe(`"${sha512}"`);
    const stored = await db.query<{ notice_sha512: string }>('SELECT notice_sha512 FROM payment.payments WHERE payment_id = $1', [
      paymentId,
    ]);
    expect(stored.rows[0]!.notice_sha512).toBe(sha512);
    expect((await stack.fetch('payment', `/v1/cases/${caseId}/payment/notice`, { as: 'channel-demo' })).status).toBe(200);
    expect((await stack.fetch('payment', `/v1/cases/${caseId}/payment/notice`, { as: 'operator-other' })).status).toBe(404);

    const entry = { amount: '30.50', ustrd: [`KZ ${kassenzeichen}`], acctSvcrRef: `BANKREF-${randomUUID()}` };
    const intraday = await importXml(camt054(`N-${randomUUID()}`, 'N-1', [[entry]]));
    await finished(intraday.body.importId);
    const endOfDay = await importXml(camt053(`S-${randomUUID()}`, 'S-EOD', [[entry]]));
    expect(await finished(endOfDay.body.importId)).toMatchObject({ booked: 0, alreadyBooked: 1 });
    const items = await json<{ state: string; duplicateOf: { importId: string } }[]>(`/v1/statements/${endOfDay.body.importId}/items`, {
      as: 'admin-potsdam',
    });
    expect(items.body[0]).toMatchObject({ state: 'already-booked', duplicateOf: { importId: intraday.body.importId } });
    expect((await json<Payment>(`/v1/payments/${paymentId}`, { as: 'operator-potsdam' })).body).toMatchObject({
      status: 'BOOKED',
      amountPaid: '30.50',
    });

    const refund = (key: string, as: 'operator-potsdam' | 'operator-other' | 'channel-demo' = 'operator-potsdam') =>
      json<{ paymentStatus: string; amountPaid: string; replayed: boolean; refundId: string }>(`/v1/payments/${paymentId}/refunds`, {
        as,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ amount: '30.50', reason: 'Antrag zurückgenommen' }),
      });
    const first = await refund('refund-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ paymentStatus: 'REFUNDED', amountPaid: '0.00', replayed: false });
    const again = await refund('refund-1');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ refundId: first.body.refundId, replayed: true });
    expect((await refund('refund-2', 'operator-other')).status).toBe(404);
    expect((await refund('refund-3', 'channel-demo')).status).toBe(403);
    const refunded = await probe.waitForCount(
      (m) =>
        m.key === caseId &&
        m.topic.includes('payments.events') &&
        (JSON.parse(m.value!) as { payload: { status?: string } }).payload.status === 'REFUNDED',
      1,
      30000,
    );
    expect(refunded).toHaveLength(1);
    await waitFor('the case timeline shows the refund', async () => {
      const r = await stack.json<{ timeline: { type: string; message?: string }[] }>('intake', `/v1/cases/${caseId}`, {
        as: 'operator-potsdam',
      });
      return r.body.timeline.some(
        (t) =>
          t.type === 'payment.status-changed' && t.message === `payment refunded: 0.00 of 30.50 EUR paid, Kassenzeichen ${kassenzeichen}`,
      );
    });
  }, 90000);
});
