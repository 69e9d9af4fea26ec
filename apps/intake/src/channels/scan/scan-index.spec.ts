import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { scanIndexXml, sha512 } from '@poststelle/testing';
import { IntakeError } from '../../core';
import { parseScanIndex } from './scan-index';

const limits = { indexMaxBytes: 64 * 1024, maxDocuments: 3 };
const pdf = Buffer.from('%PDF-1.4 test %%EOF');
const doc = {
  documentId: 'd1',
  fileName: 'antrag.pdf',
  content: pdf,
  handwrittenSignature: true,
  caseReference: 'PS-3F2A-9C1B-1111-AAA8-A',
};

async function code(xml: string | Buffer): Promise<{ code: string; errors?: unknown }> {
  try {
    await parseScanIndex(Buffer.isBuffer(xml) ? xml : Buffer.from(xml), limits);
  } catch (error) {
    if (error instanceof IntakeError) return { code: error.code, errors: error.extensions['errors'] };
    throw error;
  }
  return { code: 'OK' };
}

describe('scan index parsing (the one validation point)', () => {
  it('maps the XML format (with or without namespace prefixes) onto the DTO, values typed', async () => {
    const index = await parseScanIndex(
      Buffer.from(
        scanIndexXml({
          batchId: 'B-1',
          tenantArs: '120540000000',
          documents: [
            {
              ...doc,
              barcodes: ['POSTSTELLE:1;case=PS-3F2A-9C1B-1111-AAA8-A'],
              formId: 'F-1',
              applicant: { givenName: 'Erika', email: 'erika@example.org' },
            },
            {
              documentId: 'd2',
              fileName: 'brief.pdf',
              content: pdf,
              applicant: {
                familyName: 'Mustermann',
                street: 'Musterweg',
                houseNumber: '1a',
                postalCode: '14467',
                city: 'Potsdam',
                country: 'DE',
              },
            },
          ],
        }),
      ),
      limits,
    );
    expect(index).toMatchObject({
      batchId: 'B-1',
      resolutionDpi: 200,
      tenantArs: '120540000000',
      documents: [
        {
          documentId: 'd1',
          sha512: sha512(pdf),
          pageCount: 1,
          handwrittenSignature: true,
          caseReference: 'PS-3F2A-9C1B-1111-AAA8-A',
          barcodes: ['POSTSTELLE:1;case=PS-3F2A-9C1B-1111-AAA8-A'],
          formId: 'F-1',
          applicant: { givenName: 'Erika', email: 'erika@example.org' },
        },
        {
          documentId: 'd2',
          applicant: {
            familyName: 'Mustermann',
            street: 'Musterweg',
            houseNumber: '1a',
            postalCode: '14467',
            city: 'Potsdam',
            country: 'DE',
          },
        },
      ],
    });
    const prefixed = scanIndexXml({ batchId: 'B-2', documents: [doc] })
      .replace('<scanBatch xmlns="urn:poststelle:scan:index:1">', '<s:scanBatch xmlns:s="urn:poststelle:scan:index:1">')
      .replace('</scanBatch>', '</s:scanBatch>');
    expect((await parseScanIndex(Buffer.from(prefixed), limits)).batchId).toBe('B-2');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE scanBatch SYSTEM "http://evil/x.dtd"><scanBatch/>', 'XML_DOCTYPE_FORBIDDEN'],
    ['an entity declaration', '<?xml version="1.0"?><!ENTITY x "y"><scanBatch/>', 'XML_DOCTYPE_FORBIDDEN'],
    ['malformed XML', '<scanBatch><batchId></scanBatch>', 'SCAN_INDEX_MALFORMED'],
    ['another root element', '<invoice/>', 'SCAN_INDEX_MALFORMED'],
    ['invalid UTF-8', Buffer.from([0x3c, 0x61, 0xff, 0x3e]), 'INVALID_UTF8'],
    ['a file name with a path', scanIndexXml({ batchId: 'B', documents: [{ ...doc, fileName: '../etc/passwd' }] }), 'SCAN_INDEX_INVALID'],
    ['a bad hash', scanIndexXml({ batchId: 'B', documents: [{ ...doc, sha512: 'xyz' }] }), 'SCAN_INDEX_INVALID'],
    ['no documents', scanIndexXml({ batchId: 'B', documents: [] }), 'SCAN_INDEX_INVALID'],
    [
      'too many documents',
      scanIndexXml({ batchId: 'B', documents: [1, 2, 3, 4].map((i) => ({ ...doc, documentId: `d${i}`, fileName: `${i}.pdf` })) }),
      'SCAN_BATCH_TOO_LARGE',
    ],
    ['duplicate document ids', scanIndexXml({ batchId: 'B', documents: [doc, { ...doc, fileName: 'other.pdf' }] }), 'SCAN_INDEX_INVALID'],
    ['an oversized index', `<scanBatch>${' '.repeat(70 * 1024)}</scanBatch>`, 'SCAN_INDEX_TOO_LARGE'],
  ])('refuses %s with a specific code', async (_name, xml, expected) => {
    expect((await code(xml)).code).toBe(expected);
  });

  it('lists every invalid field', async () => {
    const r = await code(
      '<scanBatch><batchId>B</batchId><resolutionDpi>high</resolutionDpi><documents><document><documentId>d</documentId></document></documents></scanBatch>',
    );
    expect(r.code).toBe('SCAN_INDEX_INVALID');
    const fields = (r.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['scanCentre', 'resolutionDpi', 'transferNote', 'documents[0].sha512', 'documents[0].handwrittenSignature']),
    );
  });
});

describe('scan-index.xsd documents the same format', () => {
  // libxml2-wasm is an ES module with top-level await: validated in a child process rather than inside jest.
  const validate = (xml: string): string =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import fs from 'node:fs';
         const { XmlDocument, XsdValidator } = await import('libxml2-wasm');
         const xsd = XsdValidator.fromDoc(XmlDocument.fromString(fs.readFileSync(process.argv[1], 'utf8')));
         try { xsd.validate(XmlDocument.fromString(process.argv[2])); console.log('valid'); } catch (e) { console.log('invalid: ' + e.message); }`,
        resolve(__dirname, 'scan-index.xsd'),
        xml,
      ],
      { encoding: 'utf8', cwd: resolve(__dirname, '../../../../..') },
    ).trim();

  it('accepts an index the parser accepts and refuses a path as file name', () => {
    const full = scanIndexXml({
      batchId: 'B-1',
      tenantArs: '120540000000',
      documents: [
        {
          ...doc,
          barcodes: ['POSTSTELLE:1;case=PS-3F2A-9C1B-1111-AAA8-A'],
          formId: 'F-1',
          applicant: {
            givenName: 'Erika',
            familyName: 'Mustermann',
            email: 'erika@example.org',
            street: 'Musterweg',
            houseNumber: '1',
            postalCode: '14467',
            city: 'Potsdam',
            country: 'DE',
          },
          applicationForm: { schemaUri: 'urn:x', data: {} },
        },
        { documentId: 'd2', fileName: 'seite.tif', mediaType: 'image/tiff', content: pdf },
      ],
    });
    expect(validate(full)).toBe('valid');
    expect(validate(scanIndexXml({ batchId: 'B-2', documents: [{ ...doc, fileName: '../etc/passwd' }] }))).toMatch(/^invalid: .*fileName/);
  });
});
