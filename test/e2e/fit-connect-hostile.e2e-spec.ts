import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, minimalPdf } from '@poststelle/testing';

const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');
const TENANT = '120540000000';
const ATTACHMENT_MAX = 256 * 1024;
const SUBMISSION_MAX = 384 * 1024;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  rejectionId?: string;
}

interface Upload {
  attachmentId: string;
  bytes: Buffer;
  mimeType: string;
  filename: string;
}

/** A password-protected PDF written by Ghostscript (installed with the toolchain); a crafted one if gs is missing. */
function encryptedPdf(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ps-hostile-'));
  try {
    const out = join(dir, 'enc.pdf');
    execFileSync(
      'gs',
      ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', '-sOwnerPassword=o', '-sUserPassword=u', `-sOutputFile=${out}`, '-c', 'showpage'],
      { stdio: 'ignore', timeout: 20000 },
    );
    return readFileSync(out);
  } catch {
    return minimalPdf('geheim', { encrypt: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ZIP whose central directory declares ~4 GiB for one entry (nothing is ever inflated to judge it). */
function zipBomb(): Buffer {
  const name = Buffer.from('bomb.txt');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  const data = Buffer.alloc(64);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(0xfffffff0, 24);
  central.writeUInt16LE(name.length, 28);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12);
  eocd.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

describe('FIT-Connect portal channel: hostile and broken input', () => {
  let stack: Stack;

  const request = async (method: string, path: string, body?: Buffer | string, contentType = 'application/json') =>
    stack.json<Problem & Record<string, unknown>>('intake', `/v1/fit-connect/submissions${path}`, {
      method,
      headers: { 'content-type': contentType },
      ...(body === undefined ? {} : { body }),
    });

  const metadata = (uploads: Upload[], data?: { content: string; mimeType: 'application/json' | 'application/xml' }) => ({
    contentStructure: {
      ...(data
        ? {
            data: {
              hash: { type: 'sha512', content: sha512(data.content) },
              submissionSchema: { schemaUri: 'https://schema.example/antrag', mimeType: data.mimeType },
            },
          }
        : {}),
      attachments: uploads.map((u) => ({
        attachmentId: u.attachmentId,
        hash: { type: 'sha512', content: sha512(u.bytes) },
        purpose: 'attachment',
        mimeType: u.mimeType,
        filename: u.filename,
      })),
    },
    publicServiceType: { identifier: 'urn:de:fim:leika:leistung:99050012104000', name: 'Bewohnerparkausweis' },
    replyChannel: { eMail: { address: 'erika@example.org' } },
  });

  const announce = async (uploads: Upload[], data?: { content: string; mimeType: 'application/json' | 'application/xml' }) => {
    const r = await request('POST', '', JSON.stringify({ tenantArs: TENANT, metadata: metadata(uploads, data) }));
    expect(r.status).toBe(201);
    return r.body['submissionId'] as string;
  };

  const upload = (id: string, u: Upload, contentType = u.mimeType) =>
    request('PUT', `/${id}/attachments/${u.attachmentId}`, u.bytes, contentType);

  const file = (bytes: Buffer, mimeType = 'application/pdf', filename = 'nachweis.pdf'): Upload => ({
    attachmentId: randomUUID(),
    bytes,
    mimeType,
    filename,
  });

  /** The problem names its stable type and a field, and the refused input is kept (GET /v1/rejections/{id}). */
  const expectRefused = async (
    r: { status: number; body: Problem },
    status: number,
    code: string,
    field: string | RegExp,
    originalSha512?: string,
  ) => {
    expect({ status: r.status, title: r.body.title }).toEqual({ status, title: code });
    expect(r.body.type).toBe(`https://poststelle.example/problems/${code.toLowerCase().replace(/_/g, '-')}`);
    expect(r.body.errors?.map((e) => e.field)).toContainEqual(typeof field === 'string' ? field : expect.stringMatching(field));
    expect(r.body.rejectionId).toEqual(expect.any(String));
    const kept = await stack.json<{ reasonCode: string; originalSha512: string | null }>('intake', `/v1/rejections/${r.body.rejectionId}`);
    expect(kept.status).toBe(200);
    expect(kept.body.reasonCode).toBe(code);
    if (originalSha512) expect(kept.body.originalSha512).toBe(originalSha512);
    else expect(kept.body.originalSha512).toMatch(/^[a-f0-9]{128}$/);
  };

  const validSubmissionSucceeds = async () => {
    const pdf = file(minimalPdf(`Fahrzeugschein ${randomUUID()}`));
    const data = JSON.stringify({ plate: 'P-AB 123' });
    const id = await announce([pdf], { content: data, mimeType: 'application/json' });
    expect((await upload(id, pdf)).status).toBe(200);
    const sub = await request('POST', `/${id}/submit`, JSON.stringify({ data }));
    expect(sub.status).toBe(202);
    expect((await stack.json('intake', '/health')).status).toBe(200);
  };

  beforeAll(async () => {
    stack = await new Stack({
      extraEnv: { FIT_CONNECT_ATTACHMENT_MAX_BYTES: String(ATTACHMENT_MAX), SUBMISSION_MAX_BYTES: String(SUBMISSION_MAX) },
    }).start();
  }, 180000);
  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  describe('form data', () => {
    const submitData = async (content: string, mimeType: 'application/json' | 'application/xml') => {
      const id = await announce([], { content, mimeType });
      const body = JSON.stringify({ data: content });
      return { r: await request('POST', `/${id}/submit`, body), id, bodySha512: sha512(body) };
    };

    it('malformed XML → FORM_DATA_MALFORMED naming `data`; the request is kept and the submission is rejected', async () => {
      const { r, id, bodySha512 } = await submitData('<antrag><name>Erika</antrag>', 'application/xml');
      await expectRefused(r, 422, 'FORM_DATA_MALFORMED', 'data', bodySha512);
      const events = await request('GET', `/${id}/events`);
      expect(events.body['status']).toBe('rejected');
    });

    it.each([
      ['XXE file:///etc/passwd', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><antrag>&x;</antrag>'],
      ['XXE http://', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "http://127.0.0.1:9/steal">]><antrag>&x;</antrag>'],
      [
        'billion laughs',
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
          { length: 9 },
          (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
        ).join('')}]><lolz>&lol9;</lolz>`,
      ],
    ])('%s → XML_DOCTYPE_FORBIDDEN, nothing resolved or expanded', async (_what, xml) => {
      const started = Date.now();
      const { r, bodySha512 } = await submitData(xml, 'application/xml');
      await expectRefused(r, 422, 'XML_DOCTYPE_FORBIDDEN', 'data', bodySha512);
      expect(JSON.stringify(r.body)).not.toContain('root:');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('invalid UTF-8 in the submitted JSON data → INVALID_UTF8; in the metadata → INVALID_UTF8', async () => {
      const content = JSON.stringify({ name: 'Erika' });
      const id = await announce([], { content, mimeType: 'application/json' });
      const bad = Buffer.concat([Buffer.from('{"data": "{\\"name\\": \\"Er'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('ka\\"}"}')]);
      await expectRefused(await request('POST', `/${id}/submit`, bad), 400, 'INVALID_UTF8', 'request body', sha512(bad));
      const meta = JSON.stringify({ tenantArs: TENANT, metadata: metadata([]) });
      const at = meta.indexOf('parkausweis');
      const badMeta = Buffer.concat([Buffer.from(meta.slice(0, at)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(meta.slice(at))]);
      await expectRefused(await request('POST', '', badMeta), 400, 'INVALID_UTF8', 'request body', sha512(badMeta));
    });
  });

  describe('attachments', () => {
    it('a truncated PDF (no %%EOF/xref) → PDF_CORRUPT; its bytes stay kept by hash', async () => {
      const whole = minimalPdf('Antrag');
      const cut = file(whole.subarray(0, Math.floor(whole.length * 0.6)));
      const id = await announce([cut]);
      const r = await upload(id, cut);
      await expectRefused(r, 422, 'PDF_CORRUPT', `contentStructure.attachments[${cut.attachmentId}]`, sha512(cut.bytes));
      const events = await request('GET', `/${id}/events`);
      expect(events.body['events']).toContainEqual(
        expect.objectContaining({ type: 'attachment-rejected', detail: expect.objectContaining({ code: 'PDF_CORRUPT' }) as unknown }),
      );
    });

    it('an encrypted (password-protected) PDF → PDF_ENCRYPTED', async () => {
      const enc = file(encryptedPdf(), 'application/pdf', 'geschuetzt.pdf');
      const id = await announce([enc]);
      await expectRefused(
        await upload(id, enc),
        422,
        'PDF_ENCRYPTED',
        `contentStructure.attachments[${enc.attachmentId}]`,
        sha512(enc.bytes),
      );
    });

    it('an oversized attachment → FIT_ATTACHMENT_TOO_LARGE (413), the stream is cut at the limit', async () => {
      const big = file(minimalPdf('x'.repeat(ATTACHMENT_MAX)));
      const id = await announce([big]);
      const r = await upload(id, big);
      expect({ status: r.status, title: r.body.title }).toEqual({ status: 413, title: 'FIT_ATTACHMENT_TOO_LARGE' });
      expect(r.body.errors?.[0]?.field).toBe(`contentStructure.attachments[${big.attachmentId}]`);
    });

    it('an oversized submission (attachments together over SUBMISSION_MAX_BYTES) → SUBMISSION_TOO_LARGE', async () => {
      const a = file(minimalPdf(`a${'x'.repeat(200 * 1024)}`), 'application/pdf', 'a.pdf');
      const b = file(minimalPdf(`b${'x'.repeat(200 * 1024)}`), 'application/pdf', 'b.pdf');
      const id = await announce([a, b]);
      expect((await upload(id, a)).status).toBe(200);
      await expectRefused(
        await upload(id, b),
        422,
        'SUBMISSION_TOO_LARGE',
        `contentStructure.attachments[${b.attachmentId}]`,
        sha512(b.bytes),
      );
    });

    it('a zip bomb → ARCHIVE_BOMB, judged from headers without inflating', async () => {
      const bomb = file(zipBomb(), 'application/zip', 'unterlagen.zip');
      const id = await announce([bomb]);
      await expectRefused(
        await upload(id, bomb),
        422,
        'ARCHIVE_BOMB',
        `contentStructure.attachments[${bomb.attachmentId}]`,
        sha512(bomb.bytes),
      );
    });

    it('a mismatching content type → CONTENT_TYPE_MISMATCH (upload header vs. announcement; bytes vs. declared type)', async () => {
      const pdf = file(minimalPdf('Antrag'));
      const id = await announce([pdf]);
      const byHeader = await upload(id, pdf, 'image/png');
      expect({ status: byHeader.status, title: byHeader.body.title }).toEqual({ status: 422, title: 'CONTENT_TYPE_MISMATCH' });
      expect(byHeader.body.errors?.[0]?.field).toBe(`contentStructure.attachments[${pdf.attachmentId}].mimeType`);

      const png = file(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from(randomUUID())]),
        'application/pdf',
        'scan.pdf',
      );
      const id2 = await announce([png]);
      const r = await upload(id2, png);
      await expectRefused(r, 422, 'CONTENT_TYPE_MISMATCH', `contentStructure.attachments[${png.attachmentId}]`, sha512(png.bytes));
      expect(r.body.detail).toContain('image/png');
    });

    it('a submission whose attachment was refused cannot be submitted (FIT_ATTACHMENT_MISSING)', async () => {
      const whole = minimalPdf('Antrag');
      const cut = file(whole.subarray(0, 100));
      const id = await announce([cut]);
      await upload(id, cut);
      const r = await request('POST', `/${id}/submit`, JSON.stringify({}));
      expect({ status: r.status, title: r.body.title }).toEqual({ status: 422, title: 'FIT_ATTACHMENT_MISSING' });
    });
  });

  describe('afterwards', () => {
    it('keeps serving: after all of the above a valid submission succeeds and /health is ok', async () => {
      await validSubmissionSucceeds();
    }, 30000);
  });
});
