import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { KafkaProbe, SERVICES, Stack, minimalPdf, portalSubmission, scanIndexXml, testKafka, waitFor } from '@poststelle/testing';

/**
 * Issue 11 acceptance: a seeded property-based fuzz run of hostile inputs across every entry point (portal JSON,
 * life-event bundles, FIT-Connect, email MIME, XML e-invoices, scan indexes, the Kafka adapter topic). Each input
 * is answered with a case or a specific refusal, each refused original is kept and can be looked up, no service
 * restarts and every service is healthy afterwards. Re-run a failure with FUZZ_SEED=<seed printed below>.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261106);
const PROBLEMS = 'https://poststelle.example/problems/';
const TENANT = '120540000000';
const LEIKA = '99050012104000';
const MAILBOX = 'antraege@stadt.example';
const INVOICE = readFileSync(resolve(__dirname, '../../../shared/testdata/xrechnung/valid/01.01a-INVOICE_ubl.xml'), 'utf8');
const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');

type Entry = 'portal' | 'bundle' | 'fit-announce' | 'email' | 'invoice' | 'scan-index';
interface Input {
  entry: Entry;
  what: string;
  body: Buffer;
  contentType: string;
}
interface Problem {
  type?: string;
  title?: string;
  status?: number;
  rejectionId?: string;
  inboundId?: string;
  rawMessageSha512?: string;
  invoiceId?: string;
  batchId?: string;
  caseId?: string;
  bundleId?: string;
  submissionId?: string;
  errors?: { field: string; message: string }[];
}

// ---------- generators ----------

/**
 * Deep nesting is written as text: a marker value stands for it until the document is serialised, because
 * JSON.stringify and structuredClone themselves overflow the test runner's stack at a few thousand levels.
 */
const nest = (depth: number): string => `\u0001deep:${depth}\u0001`;
const serialize = (value: unknown): string =>
  (JSON.stringify(value) ?? '').replace(
    /"\\u0001deep:(\d+)\\u0001"/g,
    (_m, n: string) => `${'[{"n":'.repeat(Number(n))}"tief"${'}]'.repeat(Number(n))}`,
  );

/** Values nobody should send: wrong types, NUL, lone surrogates, deep nesting, arrays for objects, odd numbers. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1e308, '', [], {}, [[]], [[[1]], [[2]]], '\u0000', 'Muster\u0000mann', '\ud800', 'x\udfffy'),
  fc.integer({ min: 65, max: 5000 }).map(nest),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 3000 }).map((s) => s.repeat(3)),
  fc.array(fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.double(),
);

/** Every path to a value in a JSON document. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function mutateAt(doc: unknown, path: (string | number)[], op: 'replace' | 'delete' | 'add-key', value: unknown, key: string): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  if (path.length === 0) return op === 'replace' ? value : copy;
  let parent: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) {
    const child = parent[p];
    // An earlier mutation replaced an ancestor: this one no longer applies.
    if (child === null || typeof child !== 'object') return copy;
    parent = child as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (op === 'add-key' && parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
    (parent[last] as Record<string, unknown>)[key] = value;
  } else parent[last] = value;
  return copy;
}

/** A JSON document mutated at one or two places, or its text damaged (truncated, bytes spliced in). */
const hostileJson = (valid: () => unknown): fc.Arbitrary<{ what: string; body: Buffer }> => {
  const base = valid();
  const paths = pathsOf(base);
  const structural = fc
    .array(
      fc.record({
        path: fc.constantFrom(...paths),
        op: fc.constantFrom<'replace' | 'delete' | 'add-key'>('replace', 'replace', 'replace', 'delete', 'add-key'),
        value: hostileValue,
        key: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'a\u0000', '\ud83d')),
      }),
      { minLength: 1, maxLength: 2 },
    )
    .map((muts) => ({
      what: muts.map((m) => `${m.op} ${m.path.join('.') || '$'}`).join(', '),
      body: Buffer.from(serialize(muts.reduce<unknown>((doc, m) => mutateAt(doc, m.path, m.op, m.value, m.key), valid()))),
    }));
  const textual = fc
    .record({
      cut: fc.nat(),
      splice: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      mode: fc.constantFrom('truncate', 'splice', 'duplicate-key', 'nul-byte'),
    })
    .map(({ cut, splice, mode }) => {
      const text = JSON.stringify(valid());
      const at = cut % text.length;
      const body =
        mode === 'truncate'
          ? Buffer.from(text.slice(0, at))
          : mode === 'splice'
            ? Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(splice), Buffer.from(text.slice(at))])
            : mode === 'duplicate-key'
              ? Buffer.from(text.replace('{', '{"tenant":{"ars":"000000000000"},'))
              : Buffer.from(text.replace('"Erika"', '"Er\\u0000ika"'));
      return { what: `${mode} at ${at}`, body };
    });
  return fc.oneof({ arbitrary: structural, weight: 4 }, { arbitrary: textual, weight: 1 });
};

const bundle = () => {
  const base = portalSubmission({ attachments: [] });
  const application = { publicServiceType: base['publicServiceType'], formData: base['formData'] };
  return {
    lifeEvent: 'birth',
    tenant: base['tenant'],
    channel: base['channel'],
    applicant: base['applicant'],
    levelOfAssurance: 'high',
    replyChannel: base['replyChannel'],
    applications: [application, application],
  };
};

const fitAnnouncement = () => ({
  tenantArs: TENANT,
  metadata: {
    contentStructure: {
      data: {
        hash: { type: 'sha512', content: sha512('{"plate":"P-AB 123"}') },
        submissionSchema: { schemaUri: 'https://schema.example/antrag', mimeType: 'application/json' },
      },
      attachments: [],
    },
    publicServiceType: { identifier: `urn:de:fim:leika:leistung:${LEIKA}`, name: 'Bewohnerparkausweis' },
    replyChannel: { eMail: { address: 'erika@example.org' } },
  },
  applicant: { kind: 'natural', givenName: 'Erika', familyName: 'Mustermann' },
});

const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('\u0000', '=?utf-8?B?!!!?=', '=?x-unknown?Q?=FF?=', 'a\r\nBcc: victim@example.org', 'ü'.repeat(500), '<>', '"'),
  fc.string({ minLength: 900, maxLength: 1200 }),
);

/** Raw RFC 822 messages: broken headers, odd boundaries, bad transfer encodings, hostile file names, raw bytes. */
const hostileEmail: fc.Arbitrary<{ what: string; body: Buffer }> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        from: headerValue,
        subject: headerValue,
        withLeika: fc.boolean(),
        boundary: fc.oneof(fc.constant('b1'), fc.string({ minLength: 0, maxLength: 80 }), fc.constant('')),
        closeBoundary: fc.boolean(),
        parts: fc.array(
          fc.record({
            type: fc.constantFrom(
              'application/pdf',
              'application/json',
              'text/xml',
              'application/zip',
              'message/rfc822',
              'multipart/mixed',
              'x/\u0000',
            ),
            name: fc.oneof(
              fc.string({ maxLength: 30 }),
              fc.constantFrom('../../etc/passwd', 'a\u0000.pdf', 'CON', '.', '', 'x'.repeat(400) + '.pdf'),
            ),
            encoding: fc.constantFrom('base64', 'quoted-printable', '7bit', 'x-uuencode', 'base64'),
            content: fc.oneof(
              fc.string({ maxLength: 200 }),
              fc.constant('!!!notbase64@@@'),
              fc.constant(minimalPdf('fuzz').toString('base64')),
            ),
          }),
          { maxLength: 4 },
        ),
      })
      .map((m) => {
        const lines = [
          `From: ${m.from}`,
          `To: ${MAILBOX}`,
          `Subject: ${m.subject}${m.withLeika ? ` [LeiKa:${LEIKA}]` : ''}`,
          `Message-ID: <${randomUUID()}@fuzz.example>`,
          'MIME-Version: 1.0',
          `Content-Type: multipart/mixed; boundary="${m.boundary}"`,
          '',
          `--${m.boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Antrag',
          ...m.parts.flatMap((p) => [
            `--${m.boundary}`,
            `Content-Type: ${p.type}; name="${p.name}"`,
            `Content-Disposition: attachment; filename="${p.name}"`,
            `Content-Transfer-Encoding: ${p.encoding}`,
            '',
            p.content,
          ]),
          ...(m.closeBoundary ? [`--${m.boundary}--`] : []),
        ];
        return { what: `multipart with ${m.parts.length} part(s)`, body: Buffer.from(lines.join('\r\n')) };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((bytes) => ({ what: 'random bytes', body: Buffer.from(bytes) })),
  },
  {
    weight: 1,
    arbitrary: fc.nat({ max: 60 }).map((n) => ({
      what: `${n} nested message/rfc822 levels`,
      body: Buffer.from(
        Array.from({ length: n }, () => 'Content-Type: message/rfc822\r\n\r\n').join('') + `From: a@example.org\r\nTo: ${MAILBOX}\r\n\r\nx`,
      ),
    })),
  },
);

/** XML text damaged in one of the ways XML gets damaged (or attacked). */
const hostileXml = (valid: string): fc.Arbitrary<{ what: string; body: Buffer }> =>
  fc
    .record({
      mode: fc.constantFrom('truncate', 'splice', 'doctype', 'billion-laughs', 'nul', 'utf16', 'deep', 'replace-text', 'empty', 'bytes'),
      at: fc.nat(),
      text: fc.string({ unit: 'binary', maxLength: 20 }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
      depth: fc.integer({ min: 100, max: 20000 }),
    })
    .map(({ mode, at, text, bytes, depth }) => {
      const i = at % valid.length;
      const root = valid.indexOf('>', valid.indexOf('?>') + 2) + 1;
      const body = (() => {
        switch (mode) {
          case 'truncate':
            return Buffer.from(valid.slice(0, i));
          case 'splice':
            return Buffer.from(valid.slice(0, i) + text + valid.slice(i));
          case 'doctype':
            return Buffer.from(valid.replace('?>', '?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'));
          case 'billion-laughs':
            return Buffer.from(
              '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
            );
          case 'nul':
            return Buffer.from(valid.slice(0, i) + '\u0000' + valid.slice(i));
          case 'utf16':
            return Buffer.from(valid, 'utf16le');
          case 'deep':
            return Buffer.from(valid.slice(0, root) + '<x>'.repeat(depth) + '</x>'.repeat(depth) + valid.slice(root));
          case 'replace-text':
            return Buffer.from(valid.replace(/>([^<]{1,40})</, `>${text.replace(/[<&]/g, '')}<`));
          case 'empty':
            return Buffer.alloc(0);
          case 'bytes':
            return Buffer.from(bytes);
        }
        return Buffer.alloc(0);
      })();
      return { what: `${mode} at ${i}`, body };
    });

const validScanIndex = () =>
  scanIndexXml({
    batchId: `FUZZ-${randomUUID()}`,
    tenantArs: TENANT,
    documents: [{ documentId: 'd1', fileName: 'antrag.pdf', content: minimalPdf('Antrag'), handwrittenSignature: true }],
  });

// ---------- the run ----------

describe(`hostile inputs on every entry point (fast-check, seed ${SEED})`, () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    console.log(`hostile fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces this run)`);
    stack = await new Stack().start();
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const mailbox = await stack.json('intake', `/v1/admin/mailboxes/${encodeURIComponent(MAILBOX)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: TENANT, leikaKey: LEIKA, name: 'Bürgerbüro' }),
    });
    expect(mailbox.status).toBe(200);
  }, 180000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60000);

  const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number) => fc.sample(arb, { seed: SEED + salt, numRuns: n });

  /** The inputs that were answered 500 before issue 11, always part of the run. */
  const known = (): Input[] =>
    [
      ['NUL in applicant.familyName', { applicant: { kind: 'natural', givenName: 'E', familyName: 'Muster\u0000mann' } }],
      ['NUL in formData.schemaUri', { formData: { schemaUri: 'urn:\u0000x', mimeType: 'application/json', content: {} } }],
      ['lone surrogate in the reply address', { replyChannel: { eMail: { address: '\udc00@example.org' } } }],
      ['formData as nested arrays', { formData: [[[1]], [[2]]] }],
      ['publicServiceType: []', { publicServiceType: [] }],
      ['5,000 levels deep', { formData: { schemaUri: 'urn:x', mimeType: 'application/json', content: { deep: nest(5000) } } }],
    ].map(([what, override]) => ({
      entry: 'portal' as const,
      what: what as string,
      body: Buffer.from(serialize(portalSubmission(override as Record<string, unknown>))),
      contentType: 'application/json',
    }));

  const inputs = (): Input[] => [
    ...known(),
    ...sample(
      hostileJson(() => portalSubmission()),
      130,
      1,
    ).map((x) => ({ entry: 'portal' as const, ...x, contentType: 'application/json' })),
    ...sample(hostileJson(bundle), 25, 2).map((x) => ({ entry: 'bundle' as const, ...x, contentType: 'application/json' })),
    ...sample(hostileJson(fitAnnouncement), 40, 3).map((x) => ({ entry: 'fit-announce' as const, ...x, contentType: 'application/json' })),
    ...sample(hostileEmail, 60, 4).map((x) => ({ entry: 'email' as const, ...x, contentType: 'message/rfc822' })),
    ...sample(hostileXml(INVOICE), 30, 5).map((x) => ({ entry: 'invoice' as const, ...x, contentType: 'application/xml' })),
    ...sample(hostileXml(validScanIndex()), 30, 6).map((x) => ({ entry: 'scan-index' as const, ...x, contentType: 'application/xml' })),
  ];

  const target: Record<Entry, { service: 'intake' | 'erechnung'; path: string }> = {
    portal: { service: 'intake', path: '/v1/submissions' },
    bundle: { service: 'intake', path: '/v1/bundles' },
    'fit-announce': { service: 'intake', path: '/v1/fit-connect/submissions' },
    email: { service: 'intake', path: '/v1/email' },
    invoice: { service: 'erechnung', path: '/v1/invoices' },
    'scan-index': { service: 'intake', path: '/v1/scan/batches' },
  };

  /** Why this answer is not acceptable, or undefined when it is: a case/id, or a specific refusal whose original is kept. */
  async function judge(input: Input, status: number, body: Problem): Promise<string | undefined> {
    if (status >= 500) return `${status} ${body.type ?? ''}`;
    if (status >= 200 && status < 300) {
      const id = body.caseId ?? body.bundleId ?? body.submissionId ?? body.invoiceId ?? body.batchId ?? body.inboundId;
      return id ? undefined : `${status} without a case or id`;
    }
    if (!body.type?.startsWith(PROBLEMS) || body.type === `${PROBLEMS}internal-error` || !body.title) {
      return `${status} without a specific problem type (${body.type})`;
    }
    // An empty body has nothing to keep; its refusal is enough.
    if (input.body.length === 0) return undefined;
    switch (input.entry) {
      case 'portal':
      case 'bundle':
      case 'fit-announce': {
        if (!body.rejectionId) return `${status} ${body.title} without rejectionId`;
        const kept = await stack.json<{ reasonCode: string; originalSha512: string | null }>(
          'intake',
          `/v1/rejections/${body.rejectionId}`,
        );
        if (kept.status !== 200 || kept.body.reasonCode !== body.title) return `rejection ${body.rejectionId} not kept (${kept.status})`;
        if (kept.body.originalSha512 !== sha512(input.body)) return `rejection ${body.rejectionId} kept another original`;
        return undefined;
      }
      case 'email': {
        if (!body.inboundId || !body.rawMessageSha512) return `${status} ${body.title} without inboundId/raw message`;
        const raw = await stack.fetch('intake', `/v1/email/raw/${body.rawMessageSha512}`);
        if (raw.status !== 200 || !Buffer.from(await raw.arrayBuffer()).equals(input.body)) return 'raw message not kept';
        const msg = await stack.json<{ status: string; reasonCode: string }>('intake', `/v1/email/messages/${body.inboundId}`);
        return msg.body.status === 'rejected' && msg.body.reasonCode === body.title ? undefined : `message ${body.inboundId} not recorded`;
      }
      case 'invoice': {
        if (!body.invoiceId) return `${status} ${body.title} without invoiceId`;
        const report = await stack.json('erechnung', `/v1/invoices/${body.invoiceId}/report`);
        return report.status === 200 ? undefined : `invoice ${body.invoiceId} not kept (${report.status})`;
      }
      case 'scan-index': {
        if (!body.batchId) return `${status} ${body.title} without batchId`;
        const batch = await stack.json<{ status: string }>('intake', `/v1/scan/batches/${body.batchId}`);
        return batch.status === 200 ? undefined : `batch ${body.batchId} not kept (${batch.status})`;
      }
    }
    return undefined;
  }

  it('answers each HTTP input with a case or a specific refusal, keeps every refused original, and stays up', async () => {
    const all = inputs();
    expect(all.length).toBeGreaterThanOrEqual(300);
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const input = all[next++]!;
        const { service, path } = target[input.entry];
        // Hostile index bytes sealed by the trusted scan centre: past the seal check (unsealed ones are refused by
        // default), the parser itself meets them. A compromised or buggy scan centre is exactly this case.
        const seal = input.entry === 'scan-index' && input.body.length > 0 ? await stack.sealHeader(input.body) : {};
        const res = await stack.fetch(service, path, {
          as: 'channel-demo',
          method: 'POST',
          headers: { 'content-type': input.contentType, 'idempotency-key': randomUUID(), ...seal },
          body: input.body,
        });
        const text = await res.text();
        let body: Problem = {};
        try {
          body = text ? (JSON.parse(text) as Problem) : {};
        } catch {
          failures.push(`${input.entry} (${input.what}): ${res.status} with a body that is not JSON`);
          continue;
        }
        const label = `${input.entry} ${res.status} ${body.title ?? 'ok'}`;
        outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
        const wrong = await judge(input, res.status, body);
        if (wrong) failures.push(`${input.entry} (${input.what}; body sha512 ${sha512(input.body).slice(0, 16)}): ${wrong}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    console.log(
      `hostile fuzz (seed ${SEED}): ${all.length} inputs in ${Date.now() - started} ms\n` +
        [...outcomes.entries()]
          .sort()
          .map(([k, n]) => `  ${n} × ${k}`)
          .join('\n'),
    );
    expect(failures).toEqual([]);
    // Every entry point saw at least one refusal: the generators really were hostile.
    for (const entry of Object.keys(target)) expect([...outcomes.keys()].some((k) => k.startsWith(`${entry} 4`))).toBe(true);
  }, 240000);

  it('keeps hostile submissions from a channel adapter on Kafka (rejection, or dead letter with its reason), never retries them', async () => {
    const bodies: string[] = [
      ...sample(
        hostileJson(() => portalSubmission({ attachments: [] })),
        25,
        7,
      ).map((x) => x.body.toString('utf8')),
      serialize(portalSubmission({ applicant: { kind: 'natural', familyName: 'Muster\u0000mann' }, attachments: [] })),
      serialize(portalSubmission({ publicServiceType: [], attachments: [] })),
      serialize(portalSubmission({ formData: [[{ a: 1 }]], attachments: [] })),
      serialize(
        portalSubmission({
          formData: { schemaUri: 'urn:x', mimeType: 'application/json', content: { deep: nest(5000) } },
          attachments: [],
        }),
      ),
    ];
    const keys = bodies.map(() => randomUUID());
    const dlq = stack.topic('dlq.intake.submissions.v1');
    const probe = await new KafkaProbe().start([dlq]);
    try {
      const producer = testKafka().producer();
      await producer.connect();
      await producer.send({
        topic: stack.topic('intake.submissions.v1'),
        messages: bodies.map((submission, i) => {
          const envelope = {
            id: randomUUID(),
            type: 'submission.submitted',
            version: 1,
            occurredAt: new Date().toISOString(),
            correlationId: keys[i]!,
            tenant: TENANT,
            payload: { idempotencyKey: keys[i]!, submission: '\u0001submission\u0001' },
          };
          // The submission goes in as the (possibly broken) text it is; a body that is not JSON stays a string.
          const text = JSON.stringify(envelope);
          let inner = submission;
          try {
            JSON.parse(submission);
          } catch {
            inner = JSON.stringify(submission);
          }
          return { key: keys[i]!, value: text.replace('"\\u0001submission\\u0001"', () => inner) };
        }),
      });
      await producer.disconnect();
      // Each ends up as a case, a kept rejection or (too deep to serialise again) a dead letter with its reason.
      const deadLettered = (key: string) => probe.messages.find((m) => m.topic === dlq && m.key === key);
      const accounted = waitFor(
        `all ${bodies.length} adapter messages accounted for`,
        async () => {
          const { rows } = await db.query<{ key: string }>(
            `SELECT k.key FROM unnest($1::text[]) AS k(key)
              WHERE EXISTS (SELECT 1 FROM intake.submissions s WHERE s.idempotency_key = 'kafka:' || k.key)
                 OR EXISTS (SELECT 1 FROM intake.rejected_inputs r WHERE r.source = 'kafka' AND position(k.key in convert_from(r.original, 'UTF8')) > 0)`,
            [keys],
          );
          const kept = new Set(rows.map((r) => r.key));
          return keys.every((k) => kept.has(k) || deadLettered(k));
        },
        60000,
      );
      await accounted.catch((error: unknown) => {
        console.log(
          stack
            .logs()
            .split('\n')
            .filter((l) => /SubmissionIntake|dead.letter|handler failed|"level":"error"/.test(l))
            .slice(-30)
            .join('\n'),
        );
        throw error;
      });
      // No message took the retry path: every dead letter is a poison message with its reason, not a handler failure.
      for (const k of keys) {
        const letter = deadLettered(k);
        if (letter) expect({ key: k, code: letter.headers['ps-dlq-error-code'] }).toEqual({ key: k, code: 'INVALID_PAYLOAD' });
      }
      const deep = deadLettered(keys[keys.length - 1]!);
      expect(deep?.headers['ps-dlq-error']).toContain('nested more than 64 levels deep');
      const { rows: nul } = await db.query<{ reason_code: string; errors: { field: string; message: string }[] }>(
        `SELECT reason_code, errors FROM intake.rejected_inputs WHERE source = 'kafka' AND position($1 in convert_from(original, 'UTF8')) > 0`,
        [keys[keys.length - 4]],
      );
      expect(nul[0]).toEqual({
        reason_code: 'INVALID_SUBMISSION',
        errors: [{ field: 'submission.applicant.familyName', message: 'must not contain the NUL character (U+0000)' }],
      });
      expect((await stack.json('intake', '/health')).status).toBe(200);
    } finally {
      await probe.stop();
    }
  }, 120000);

  it('no service restarted and every service is healthy afterwards', async () => {
    for (const name of SERVICES) {
      // Stack never restarts a service: a process that crashed would show its exit code here.
      expect({ name, exitCode: stack.service(name).exitCode }).toEqual({ name, exitCode: null });
      expect({ name, health: (await stack.json(name, '/health')).status }).toEqual({ name, health: 200 });
    }
  });
});
