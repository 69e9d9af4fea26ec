import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import { Stack, minimalPdf, portalSubmission, testKafka, waitFor, type DemoClient } from '@poststelle/testing';
import { unzip } from '../../apps/archive/src/xdomea/zip';

const SHARED_XDOMEA = resolve(__dirname, '../../../shared/testdata/xdomea');
const TENANT = '120540000000';
const LEIKA_MAIN = '99050012104000';
const LEIKA_DESTROY = '99036005000000';
const MAILBOX = 'efile@stadt.example';
const KEY = 'operator-key-for-the-e2e-test-0123456789';
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
type XdomeaVersion = '3.0.0' | '3.1.0';

/**
 * Validates against the XSDs in ../shared/testdata/xdomea with libxml2-wasm, in a node child process (jest's module
 * sandbox cannot load that ES module). Returns the schema errors; [] when valid.
 */
function schemaErrors(xml: string, version: XdomeaVersion): string[] {
  const script = `
    import { readFileSync } from 'node:fs';
    import { XmlDocument, XsdValidator } from 'libxml2-wasm';
    import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
    xmlRegisterFsInputProviders();
    const [xsd, file] = process.argv.slice(1);
    const validator = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(xsd, 'utf8'), { url: xsd }));
    try { validator.validate(XmlDocument.fromString(readFileSync(file, 'utf8'))); console.log('[]'); }
    catch (e) { console.log(JSON.stringify((e.details ?? [{ message: String(e) }]).map((d) => d.message.trim()))); }`;
  const file = join(tmpdir(), `xdomea-${randomUUID()}.xml`);
  writeFileSync(file, xml);
  try {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, join(SHARED_XDOMEA, `x-man_xsd_${version}`, 'xdomea.xsd'), file],
      {
        cwd: resolve(__dirname, '../..'),
        encoding: 'utf8',
      },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as string[];
  } finally {
    rmSync(file, { force: true });
  }
}

interface Format {
  formatId: string;
  role: string;
  mediaType: string;
  formatName: string;
  fileName: string;
  sha256: string;
}
interface EFile {
  fileId: string;
  fileReference: string;
  filePlanUnit: { code: string };
  confidentiality: string;
  retention: {
    years: number;
    disposalClass: string;
    state: string;
    closedAt: string | null;
    endsAt: string | null;
    underLegalHold: boolean;
  };
  processes: { kind: string; title: string; documents: string[] }[];
  documents: {
    documentId: string;
    kind: string;
    title: string;
    mediaType: string;
    versions: { number: number; rendition: { state: string }; formats: Format[] }[];
  }[];
  journal: { seq: number; action: string; actor: string; detail: Record<string, unknown> }[];
}
interface Verified {
  ok: boolean;
  problems: { code: string; detail: string; entry?: number; entries?: number[]; documentId?: string }[];
}

describe('e-file: structure, journal and verify, retention and holds, xdomea hand-over', () => {
  let stack: Stack;
  let db: Client;
  let contentDir: string;
  const mainAttachment = minimalPdf(`Fahrzeugschein ${randomUUID()}`);
  let mainCase = '';

  const file = (caseId: string, as: DemoClient = 'operator-potsdam') => stack.json<EFile>('archive', `/v1/cases/${caseId}/file`, { as });
  const verify = async (caseId: string) =>
    (await stack.json<Verified>('archive', `/v1/cases/${caseId}/file/verify`, { as: 'operator-potsdam' })).body;
  const submit = async (leika: string, attachment: Buffer) => {
    const body = portalSubmission({
      publicServiceType: { identifier: `urn:de:fim:leika:leistung:${leika}`, name: 'Bewohnerparkausweis' },
      attachments: [
        {
          attachmentId: 'a1',
          fileName: 'fahrzeugschein.pdf',
          mediaType: 'application/pdf',
          purpose: 'attachment',
          contentBase64: attachment.toString('base64'),
        },
      ],
    });
    const res = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    return res.body.caseId;
  };
  const report = async (procedureId: string, caseId: string, status: string) => {
    const producer = testKafka().producer();
    await producer.connect();
    const payload = { caseId, procedureId, status, reportedBy: `procedure:${procedureId}`, reportedAt: new Date().toISOString() };
    const envelope = {
      id: randomUUID(),
      type: 'case.status-changed',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: caseId,
      tenant: TENANT,
      payload,
    };
    await producer.send({
      topic: stack.topic(`procedure.${procedureId}.status.v1`),
      messages: [{ key: caseId, value: JSON.stringify(envelope) }],
    });
    await producer.disconnect();
  };
  const closedFile = (caseId: string) =>
    waitFor(`file of ${caseId} closed`, async () => {
      const r = await file(caseId);
      return r.status === 200 && r.body.retention.state === 'closed' && r.body;
    });
  const fileSettings = (procedureId: string, disposalClass: string) =>
    stack.json('archive', `/v1/admin/procedures/${procedureId}/file-settings`, {
      method: 'PUT',
      as: 'admin-potsdam',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantArs: TENANT,
        filePlanUnit: '32.10',
        filePlanTitle: 'Parkausweise',
        confidentiality: '003',
        retentionYears: 0,
        disposalClass,
      }),
    });
  /** SQL as the database owner with triggers off (session_replication_role): what an intruder with DB access could do. */
  const tamper = async (sql: string, params: unknown[] = []) => {
    await db.query('SET session_replication_role = replica');
    try {
      return await db.query(sql, params);
    } finally {
      await db.query('SET session_replication_role = DEFAULT');
    }
  };

  beforeAll(async () => {
    contentDir = await mkdtemp(join(tmpdir(), 'efile-content-'));
    stack = await new Stack({
      extraEnv: { EFILE_CONTENT_DIR: contentDir, EFILE_JOURNAL_KEY: KEY, EFILE_DISPOSAL_INTERVAL_MS: '0', EFILE_DIGEST_INTERVAL_MS: '0' },
    }).start();
    await stack.seedRoute({ procedureId: 'efile-main', tenantArs: TENANT, leikaKey: LEIKA_MAIN, arsPrefix: '12054' });
    await stack.seedRoute({ procedureId: 'efile-destroy', tenantArs: TENANT, leikaKey: LEIKA_DESTROY, arsPrefix: '12054' });
    expect((await fileSettings('efile-main', 'A')).status).toBe(200);
    expect((await fileSettings('efile-destroy', 'V')).status).toBe(200);
    const mailbox = await stack.json('intake', `/v1/admin/mailboxes/${encodeURIComponent(MAILBOX)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: TENANT, leikaKey: LEIKA_MAIN, name: 'Bürgerbüro' }),
    });
    expect(mailbox.status).toBe(200);
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 180000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    if (contentDir) await rm(contentDir, { recursive: true, force: true });
  }, 60000);

  it('files a case from the portal, an email follow-up and the back office COMPLETED as Akte → Vorgang → Dokument → Version, with PDF/A renditions', async () => {
    mainCase = await submit(LEIKA_MAIN, mainAttachment);
    await waitFor('e-file opened', async () => (await file(mainCase)).status === 200);
    const view = await stack.json<{ caseReference: string }>('intake', `/v1/cases/${mainCase}`);
    const nachweis = minimalPdf(`Nachweis ${randomUUID()}`);
    const raw = await new MailComposer({
      from: 'erika@example.org',
      to: MAILBOX,
      subject: `Re: Ihr Antrag ${view.body.caseReference}`,
      text: 'Anbei der Nachweis.',
      attachments: [{ filename: 'nachweis.pdf', content: nachweis, contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    const mail = await stack.json<{ status: string; caseId: string }>('intake', '/v1/email', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(mail.body).toMatchObject({ status: 'follow-up', caseId: mainCase });
    await waitFor('follow-up filed', async () => (await file(mainCase)).body.processes?.some((p) => p.kind === 'follow-up'));
    await report('efile-main', mainCase, 'COMPLETED');
    await closedFile(mainCase);
    const f = await waitFor(
      'renditions done',
      async () => {
        const r = (await file(mainCase)).body;
        const pdfs = r.documents.filter((d) => d.mediaType === 'application/pdf');
        return pdfs.length === 2 && pdfs.every((d) => d.versions[0]!.rendition.state === 'done') && r;
      },
      90000,
    );

    expect(f.fileReference).toMatch(/^efile-main-\d{4}-\d{6}$/);
    expect(f.filePlanUnit.code).toBe('32.10');
    expect(f.retention).toMatchObject({ years: 0, disposalClass: 'A', state: 'closed' });
    expect(f.retention.endsAt).toBe(f.retention.closedAt);
    expect(f.processes.map((p) => p.kind)).toEqual(['application', 'follow-up', 'status']);
    const byTitle = new Map(f.documents.map((d) => [d.title, d]));
    expect([...byTitle.keys()].sort()).toEqual(['Antragsdaten', 'E-Mail', 'Statusverlauf', 'fahrzeugschein.pdf', 'nachweis.pdf']);
    expect(byTitle.get('E-Mail')!.mediaType).toBe('message/rfc822');
    expect(byTitle.get('Antragsdaten')!.mediaType).toBe('application/json');
    const [original, rendition] = byTitle.get('fahrzeugschein.pdf')!.versions[0]!.formats;
    expect(original).toMatchObject({ role: 'original', mediaType: 'application/pdf', formatName: 'PDF', sha256: sha256(mainAttachment) });
    expect(rendition).toMatchObject({ role: 'rendition', mediaType: 'application/pdf', formatName: 'PDF/A-2b' });
    expect(byTitle.get('nachweis.pdf')!.versions[0]!.formats[0]!.sha256).toBe(sha256(nachweis));
    const actions = f.journal.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['file-opened', 'process-opened']);
    expect(actions.filter((a) => a === 'document-added')).toHaveLength(5);
    expect(actions.filter((a) => a === 'rendition-created')).toHaveLength(2);
    expect(actions).toEqual(expect.arrayContaining(['version-created', 'status-changed', 'file-closed', 'file-read']));
    expect(f.journal.find((e) => e.action === 'status-changed')).toMatchObject({
      actor: 'procedure:efile-main',
      detail: { status: 'COMPLETED' },
    });
    expect(f.journal.filter((e) => e.action === 'file-read').every((e) => e.actor === 'operator-potsdam')).toBe(true);
    expect(await verify(mainCase)).toMatchObject({ ok: true, problems: [] });
  }, 240000);

  it('detects and names a changed byte, a deleted, an inserted and two swapped journal entries', async () => {
    const f = (await file(mainCase)).body;
    const digest = await stack.json<{ seq: number; files: number; sealed: boolean }>('archive', '/v1/archive/digests', { method: 'POST' });
    expect(digest.status).toBe(201);
    expect(digest.body).toMatchObject({ sealed: true });
    await expect(db.query('DELETE FROM archive.journal WHERE file_id = $1 AND seq = 1', [f.fileId])).rejects.toThrow(/append-only/);

    const doc = f.documents.find((d) => d.title === 'fahrzeugschein.pdf')!;
    const path = join(contentDir, sha256(mainAttachment).slice(0, 2), sha256(mainAttachment).slice(2, 4), sha256(mainAttachment));
    const bytes = await readFile(path);
    const changed = Buffer.from(bytes);
    changed[20] = changed[20]! ^ 0x01;
    await writeFile(path, changed);
    const byteChange = await verify(mainCase);
    expect(byteChange.ok).toBe(false);
    expect(byteChange.problems).toEqual([expect.objectContaining({ code: 'DOCUMENT_ALTERED', documentId: doc.documentId })]);
    expect(byteChange.problems[0]!.detail).toContain("document 'fahrzeugschein.pdf'");
    // The CLI finds the same (exit code 1, one JSON line per file).
    const cli = spawnSync(process.execPath, ['scripts/run-ts.js', 'apps/archive/src/cli/efile-verify.ts', '--case', mainCase], {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: stack.databaseUrl, EFILE_CONTENT_DIR: contentDir, EFILE_JOURNAL_KEY: KEY },
    });
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout.trim())).toMatchObject({
      caseId: mainCase,
      ok: false,
      problems: [{ code: 'DOCUMENT_ALTERED', documentId: doc.documentId }],
    });
    await writeFile(path, bytes);

    const {
      rows: [third],
    } = await db.query<Record<string, unknown>>('SELECT * FROM archive.journal WHERE file_id = $1 AND seq = 3', [f.fileId]);
    await tamper('DELETE FROM archive.journal WHERE file_id = $1 AND seq = 3', [f.fileId]);
    const deleted = await verify(mainCase);
    expect(deleted.problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_REMOVED', entry: 3, entries: [2, 4] })]);
    await tamper('INSERT INTO archive.journal SELECT * FROM json_populate_record(null::archive.journal, $1)', [JSON.stringify(third)]);

    const forgedHash = sha256(randomUUID());
    await tamper(
      `INSERT INTO archive.journal (file_id, seq, entry_id, at, actor, action, detail, prev_hash, hash)
       SELECT file_id, 1000, $2, now(), 'mallory', 'file-read', '{}', hash, $3 FROM archive.journal WHERE file_id = $1 AND seq = 5`,
      [f.fileId, randomUUID(), forgedHash],
    );
    const inserted = await verify(mainCase);
    expect(inserted.problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRY_INSERTED', entry: 1000 })]);
    await tamper('DELETE FROM archive.journal WHERE file_id = $1 AND seq = 1000', [f.fileId]);

    const swap = async () => {
      await tamper('UPDATE archive.journal SET seq = -1 WHERE file_id = $1 AND seq = 4', [f.fileId]);
      await tamper('UPDATE archive.journal SET seq = 4 WHERE file_id = $1 AND seq = 5', [f.fileId]);
      await tamper('UPDATE archive.journal SET seq = 5 WHERE file_id = $1 AND seq = -1', [f.fileId]);
    };
    await swap();
    const swapped = await verify(mainCase);
    expect(swapped.problems).toEqual([expect.objectContaining({ code: 'JOURNAL_ENTRIES_REORDERED', entries: [4, 5] })]);
    await swap();
    expect((await verify(mainCase)).ok).toBe(true);
    const digests = await stack.json('archive', '/v1/archive/digests/verify', { as: 'auditor-demo' });
    expect(digests.body).toEqual({ ok: true, digests: 1, problems: [] });
  }, 60000);

  it('exports the 0503 transfer ZIP, valid against the xdomea 3.0.0 and 3.1.0 XSDs, every document hash matching its bytes', async () => {
    for (const version of ['3.0.0', '3.1.0'] as XdomeaVersion[]) {
      const res = await stack.fetch('archive', `/v1/cases/${mainCase}/file/xdomea?version=${version}`, { as: 'operator-potsdam' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/zip');
      const entries = unzip(Buffer.from(await res.arrayBuffer()));
      const xmlEntry = entries.find((e) => e.name.endsWith('_Aussonderung.Aussonderung.0503.xml'))!;
      const xml = xmlEntry.bytes.toString('utf8');
      expect(xml).toContain(`xmlns:xdomea="urn:xoev-de:xdomea:schema:${version}"`);
      expect(schemaErrors(xml, version)).toEqual([]);
      expect(xml).toContain(`<xdomea:ProzessID>${res.headers.get('x-xdomea-process-id')}</xdomea:ProzessID>`);
      const sums = [...xml.matchAll(/<ps:Pruefsumme datei="([^"]+)" algorithmus="SHA-256">([a-f0-9]{64})<\/ps:Pruefsumme>/g)];
      expect(sums).toHaveLength(entries.length - 1);
      for (const [, name, hash] of sums) expect(sha256(entries.find((e) => e.name === name)!.bytes)).toBe(hash);
      const names = [...xml.matchAll(/<xdomea:Dateiname>([^<]+)<\/xdomea:Dateiname>/g)].map((m) => m[1]);
      expect(names.sort()).toEqual(
        entries
          .filter((e) => e !== xmlEntry)
          .map((e) => e.name)
          .sort(),
      );
      const pdfa = entries.filter((e) => e.name.endsWith('.pdfa.pdf'));
      expect(pdfa).toHaveLength(2);
      expect(pdfa.every((e) => /pdfaid:part[^\d]{1,4}2/.test(e.bytes.toString('latin1')))).toBe(true);
      expect(xml).toContain('<code>044</code>');
    }
  }, 60000);

  it('answers another tenant 404 and journals the refused read', async () => {
    expect((await file(mainCase, 'operator-other')).status).toBe(404);
    expect((await stack.json('archive', `/v1/cases/${randomUUID()}/file`, { as: 'operator-other' })).status).toBe(404);
    const f = (await file(mainCase)).body;
    expect(f.journal.find((e) => e.action === 'file-read-refused')).toMatchObject({
      actor: 'operator-other',
      detail: { attempted: 'read' },
    });
  }, 30000);

  it('disposal: keeps a held file, deletes an expired V file leaving a record without personal data, offers the A file, and 0502 + 0504 close it', async () => {
    const expired = await submit(LEIKA_DESTROY, minimalPdf(`Zu vernichten ${randomUUID()}`));
    const held = await submit(LEIKA_DESTROY, minimalPdf(`Gehalten ${randomUUID()}`));
    for (const c of [expired, held]) await waitFor('file opened', async () => (await file(c)).status === 200);
    for (const c of [expired, held]) await report('efile-destroy', c, 'REJECTED');
    for (const c of [expired, held]) await closedFile(c);
    const hold = await stack.json<{ holdId: string }>('archive', `/v1/cases/${held}/file/holds`, {
      method: 'POST',
      as: 'admin-potsdam',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Klageverfahren VG Potsdam 1 K 12/26' }),
    });
    expect(hold.status).toBe(201);
    const expiredFile = (await file(expired)).body;

    const started = await stack.json<{ runId: string }>('archive', '/v1/archive/disposal-runs', { method: 'POST' });
    expect(started.status).toBe(202);
    const run = await waitFor('disposal run finished', async () => {
      const r = await stack.json<{
        state: string;
        due: number;
        processed: number;
        deleted: number;
        offered: number;
        held: number;
        offerProcessId: string;
      }>('archive', `/v1/archive/disposal-runs/${started.body.runId}`);
      return r.body.state === 'finished' && r.body;
    });
    expect(run).toMatchObject({ due: 2, processed: 2, deleted: 1, offered: 1, held: 1 });

    expect((await file(held)).body.retention).toMatchObject({ state: 'closed', underLegalHold: true });
    expect((await file(expired)).status).toBe(404);
    const record = await stack.json<Record<string, unknown>>('archive', `/v1/archive/deletion-records/${expired}`);
    expect(record.body).toMatchObject({ caseId: expired, reason: 'retention-ended', disposalClass: 'V', actor: 'platform-admin' });
    const text = JSON.stringify(record.body);
    for (const personal of ['Erika', 'Mustermann', 'Potsdam', '14467', 'P-AB 123', 'fahrzeugschein', 'erika.mustermann'])
      expect(text).not.toContain(personal);
    const hashes = record.body['contentHashes'] as { sha256: string }[];
    expect(hashes.map((h) => h.sha256).sort()).toEqual(
      expiredFile.documents.flatMap((d) => d.versions.flatMap((v) => v.formats.map((x) => x.sha256))).sort(),
    );
    expect(
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM archive.journal WHERE file_id = $1', [expiredFile.fileId])).rows[0]!.n,
    ).toBe(0);

    const main = (await file(mainCase)).body;
    expect(main.retention.state).toBe('offered');
    const offer = await stack.fetch('archive', `/v1/archive/disposal-offers/${run.offerProcessId}/0501`);
    const offerXml = await offer.text();
    expect(schemaErrors(offerXml, '3.1.0')).toEqual([]);
    expect(offerXml).toContain(`<xdomea:ID>${main.fileId}</xdomea:ID>`);

    const head = (type: string, tail = '') =>
      `<xdomea:Kopf><xdomea:ProzessID>${run.offerProcessId}</xdomea:ProzessID><xdomea:Nachrichtentyp><code>${type}</code></xdomea:Nachrichtentyp>` +
      `<xdomea:Erstellungszeitpunkt>${new Date().toISOString()}</xdomea:Erstellungszeitpunkt><xdomea:Absender><xdomea:Institution><xdomea:Name>Landesarchiv</xdomea:Name></xdomea:Institution></xdomea:Absender>` +
      `<xdomea:Empfaenger><xdomea:Institution><xdomea:Name>Poststelle</xdomea:Name></xdomea:Institution></xdomea:Empfaenger>${tail}</xdomea:Kopf>`;
    const message = (name: string, body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><xdomea:${name} xmlns:xdomea="urn:xoev-de:xdomea:schema:3.1.0">${body}</xdomea:${name}>`;
    const answer = (xml: string) =>
      stack.json<Record<string, unknown>>('archive', `/v1/archive/disposal-offers/${run.offerProcessId}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: xml,
      });
    const appraisal = message(
      'Aussonderung.Bewertungsverzeichnis.0502',
      head('0502', '<xdomea:Empfangsbestaetigung>0</xdomea:Empfangsbestaetigung>') +
        `<xdomea:BewertetesObjekt><xdomea:ID>${main.fileId}</xdomea:ID><xdomea:Aussonderungsart><xdomea:Aussonderungsart><code>A</code></xdomea:Aussonderungsart></xdomea:Aussonderungsart></xdomea:BewertetesObjekt>`,
    );
    expect(schemaErrors(appraisal, '3.1.0')).toEqual([]);
    const appraised = await answer(appraisal);
    expect(appraised.status).toBe(200);
    expect(appraised.body).toMatchObject({ message: '0502', appraised: [{ fileId: main.fileId, appraisal: 'A' }] });

    const transfer = await stack.fetch('archive', `/v1/cases/${mainCase}/file/xdomea`, { as: 'operator-potsdam' });
    expect(transfer.headers.get('x-xdomea-process-id')).toBe(run.offerProcessId);

    const receipt = message('Aussonderung.AnbietungEmpfangBestaetigen.0504', head('0504'));
    const closed = await answer(receipt);
    expect(closed.body).toMatchObject({ message: '0504', closed: true, handedOver: 1 });
    expect((await file(mainCase)).status).toBe(404);
    expect((await stack.json('archive', `/v1/archive/deletion-records/${mainCase}`)).body).toMatchObject({
      reason: 'handed-over-to-archive',
      offerProcessId: run.offerProcessId,
    });
    expect((await answer(receipt)).status).toBe(409);
  }, 180000);
});
