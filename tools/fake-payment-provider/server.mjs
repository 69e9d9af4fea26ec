// A fake online payment platform after the XBezahldienste 1.2.0 pattern (ePayBL, pmPayment), as its own HTTP process
// for tests and local runs: no real provider is reachable from here.
//
//   POST /paymenttransaction/{originatorId}/{endPointId}                 create → 201 { paymentTransactionId, paypageUrl, status: INITIAL }
//   GET  /paymenttransaction/{originatorId}/{endPointId}/{transactionId} status → { status: INITIAL | PAYED | FAILED | CANCELED, ... }
//   GET  /paypage/{transactionId}?outcome=paid|failed|canceled          the citizen "pays"; redirects to the return URL
// Basic authentication with the merchant's credentials (FAKE_PROVIDER_CREDENTIALS, default merchant:secret).
// There is no push: a client learns the status only by asking.
//
// Test controls (not part of the interface): POST /_control/{transactionId} with any of
//   { status }            set the status the provider reports
//   { slowMs: n }         answer status queries after n ms
//   { failNext: n }       answer the next n status queries with 503
//   { script: [..] }      answer the next queries with these statuses in turn (contradictory answers)
// GET /_stats/{transactionId} → { statusQueries }.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const port = Number(process.env.FAKE_PROVIDER_PORT ?? 0);
const credentials = process.env.FAKE_PROVIDER_CREDENTIALS ?? 'merchant:secret';
const transactions = new Map();

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const readBody = (req) =>
  new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        resolve(undefined);
      }
    });
  });
const authorised = (req) => req.headers.authorization === `Basic ${Buffer.from(credentials).toString('base64')}`;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://fake');
  const parts = url.pathname.split('/').filter(Boolean);
  try {
    if (parts[0] === 'paymenttransaction') {
      if (!authorised(req)) return send(res, 401, { error: 'unauthorised' });
      if (req.method === 'POST' && parts.length === 3) {
        const body = await readBody(req);
        if (!body || typeof body.amount !== 'string' || !/^\d+\.\d{2}$/.test(body.amount) || !body.purpose || !body.redirectUrls?.success) {
          return send(res, 400, { error: 'purpose, amount (decimal string) and redirectUrls.success are required' });
        }
        if (body.requestId) {
          const existing = [...transactions.values()].find((t) => t.requestId === body.requestId);
          if (existing) return send(res, 200, view(existing));
        }
        const id = randomUUID();
        const t = {
          id,
          requestId: body.requestId,
          originator: parts[1],
          endPoint: parts[2],
          ...body,
          status: 'INITIAL',
          queries: 0,
          script: [],
          failNext: 0,
          slowMs: 0,
        };
        t.paypageUrl = `http://${req.headers.host}/paypage/${id}`;
        transactions.set(id, t);
        return send(res, 201, view(t));
      }
      if (req.method === 'GET' && parts.length === 4) {
        const t = transactions.get(parts[3]);
        if (!t) return send(res, 404, { error: 'unknown transaction' });
        t.queries += 1;
        if (t.slowMs) await new Promise((r) => setTimeout(r, t.slowMs));
        if (t.failNext > 0) {
          t.failNext -= 1;
          return send(res, 503, { error: 'temporarily unavailable' });
        }
        const status = t.script.length > 0 ? t.script.shift() : t.status;
        return send(res, 200, { ...view(t), status });
      }
    }
    if (parts[0] === 'paypage' && req.method === 'GET') {
      const t = transactions.get(parts[1]);
      if (!t) return send(res, 404, { error: 'unknown transaction' });
      const outcome = url.searchParams.get('outcome') ?? 'paid';
      t.status = outcome === 'paid' ? 'PAYED' : outcome === 'failed' ? 'FAILED' : 'CANCELED';
      const target =
        outcome === 'paid'
          ? t.redirectUrls.success
          : outcome === 'failed'
            ? (t.redirectUrls.failure ?? t.redirectUrls.success)
            : (t.redirectUrls.cancel ?? t.redirectUrls.success);
      return send(res, 302, undefined, { location: target });
    }
    if (parts[0] === '_control' && req.method === 'POST') {
      const t = transactions.get(parts[1]);
      if (!t) return send(res, 404, { error: 'unknown transaction' });
      const body = (await readBody(req)) ?? {};
      if (body.status) t.status = body.status;
      if (body.slowMs !== undefined) t.slowMs = body.slowMs;
      if (body.failNext !== undefined) t.failNext = body.failNext;
      if (Array.isArray(body.script)) t.script = [...body.script];
      return send(res, 200, view(t));
    }
    if (parts[0] === '_stats') {
      const t = transactions.get(parts[1]);
      return t ? send(res, 200, { statusQueries: t.queries, status: t.status }) : send(res, 404, { error: 'unknown transaction' });
    }
    send(res, 404, { error: 'not found' });
  } catch (error) {
    send(res, 500, { error: String(error) });
  }
});

function view(t) {
  return {
    paymentTransactionId: t.id,
    paypageUrl: t.paypageUrl,
    status: t.status,
    amount: t.amount,
    purpose: t.purpose,
    requestId: t.requestId,
  };
}

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
