import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testPki, type TestPki } from './pki';

const exec = promisify(execFile);

export const sha512 = (b: Buffer | string): string => createHash('sha512').update(b).digest('hex');

/** PostScript string literal: backslash, parentheses escaped; Latin-1 letters written as octal escapes. */
function psString(line: string): string {
  return [...line]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (c === '\\' || c === '(' || c === ')') return `\\${c}`;
      return code > 126 && code < 256 ? `\\${code.toString(8)}` : code > 255 ? '?' : c;
    })
    .join('');
}

async function inTemp<T>(task: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ps-scan-fixture-'));
  try {
    return await task(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function postScript(lines: string[]): string {
  const body = lines.map((l, i) => `72 ${760 - i * 34} moveto (${psString(l)}) show`).join('\n');
  return `%!PS\n<< /PageSize [595 842] >> setpagedevice\n/Helvetica findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall /Encoding ISOLatin1Encoding def currentdict end /HelveticaLatin1 exch definefont pop\n/HelveticaLatin1 findfont 20 scalefont setfont\n${body}\nshowpage\n`;
}

/** A one-page A4 PDF with a text layer (ghostscript from PostScript). */
export async function textPdf(lines: string[], opts: { userPassword?: string } = {}): Promise<Buffer> {
  return inTemp(async (dir) => {
    await writeFile(join(dir, 'page.ps'), postScript(lines), 'latin1');
    const pw = opts.userPassword ? [`-sOwnerPassword=${opts.userPassword}-owner`, `-sUserPassword=${opts.userPassword}`] : [];
    await exec('gs', [
      '-q',
      '-dNOPAUSE',
      '-dBATCH',
      '-dSAFER',
      '-sDEVICE=pdfwrite',
      ...pw,
      `-sOutputFile=${join(dir, 'out.pdf')}`,
      join(dir, 'page.ps'),
    ]);
    return readFile(join(dir, 'out.pdf'));
  });
}

/** What a scanner delivers: the page rasterised at `dpi` into an image-only PDF (no text layer) or a G4 TIFF. */
export async function scannedPage(lines: string[], format: 'pdf' | 'tiff' = 'pdf', dpi = 200): Promise<Buffer> {
  const pdf = await textPdf(lines);
  return inTemp(async (dir) => {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const device = format === 'pdf' ? 'pdfimage8' : 'tiffg4';
    const out = join(dir, format === 'pdf' ? 'scan.pdf' : 'scan.tif');
    await exec('gs', [
      '-q',
      '-dNOPAUSE',
      '-dBATCH',
      '-dSAFER',
      `-sDEVICE=${device}`,
      `-r${dpi}`,
      `-sOutputFile=${out}`,
      join(dir, 'in.pdf'),
    ]);
    return readFile(out);
  });
}

/** A cover sheet: one page with nothing but a QR code of `content` (qrencode → EPS → image-only PDF, as scanned). */
export async function coverSheetPdf(content: string, dpi = 200): Promise<Buffer> {
  return inTemp(async (dir) => {
    await exec('qrencode', ['-t', 'EPS', '-s', '6', '-m', '4', '-o', join(dir, 'qr.eps'), content]);
    const out = join(dir, 'cover.pdf');
    await exec('gs', [
      '-q',
      '-dNOPAUSE',
      '-dBATCH',
      '-dSAFER',
      '-dEPSCrop',
      '-sDEVICE=pdfimage8',
      `-r${dpi}`,
      `-sOutputFile=${out}`,
      join(dir, 'qr.eps'),
    ]);
    return readFile(out);
  });
}

export async function pdfToText(pdf: Buffer): Promise<string> {
  return inTemp(async (dir) => {
    await writeFile(join(dir, 'x.pdf'), pdf);
    return (await exec('pdftotext', [join(dir, 'x.pdf'), '-'])).stdout;
  });
}

export interface ScanIndexDocument {
  documentId: string;
  fileName: string;
  mediaType?: 'application/pdf' | 'image/tiff';
  content: Buffer;
  pageCount?: number;
  handwrittenSignature?: boolean;
  caseReference?: string;
  formId?: string;
  barcodes?: string[];
  applicant?: Record<string, string>;
  applicationForm?: unknown;
  /** Overrides the sha512 written into the index (to test a mismatch). */
  sha512?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A scan index in the format of apps/intake/src/channels/scan/scan-index.xsd. */
export function scanIndexXml(batch: {
  batchId: string;
  tenantArs?: string;
  documents: ScanIndexDocument[];
  resolutionDpi?: number;
}): string {
  const docs = batch.documents
    .map((d) => {
      const applicant = d.applicant
        ? `<applicant>${Object.entries(d.applicant)
            .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
            .join('')}</applicant>`
        : '';
      return `
    <document>
      <documentId>${d.documentId}</documentId>
      <fileName>${esc(d.fileName)}</fileName>
      <mediaType>${d.mediaType ?? 'application/pdf'}</mediaType>
      <sha512>${d.sha512 ?? sha512(d.content)}</sha512>
      <pageCount>${d.pageCount ?? 1}</pageCount>
      <handwrittenSignature>${d.handwrittenSignature ?? false}</handwrittenSignature>
      ${d.caseReference ? `<caseReference>${d.caseReference}</caseReference>` : ''}
      ${d.barcodes ? `<barcodes>${d.barcodes.map((b) => `<barcode>${esc(b)}</barcode>`).join('')}</barcodes>` : ''}
      ${d.formId ? `<formId>${esc(d.formId)}</formId>` : ''}
      ${applicant}
      ${d.applicationForm ? `<applicationForm><![CDATA[${JSON.stringify(d.applicationForm)}]]></applicationForm>` : ''}
    </document>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<scanBatch xmlns="urn:poststelle:scan:index:1">
  <batchId>${batch.batchId}</batchId>
  <scanCentre>Scanzentrum Brandenburg</scanCentre>
  <scannedAt>2026-11-30T08:00:00Z</scannedAt>
  <operator>op-17</operator>
  <scannerProfile>A4-duplex-bw</scannerProfile>
  <resolutionDpi>${batch.resolutionDpi ?? 200}</resolutionDpi>
  <transferNote>Die Bilddaten stimmen mit dem Papieroriginal bildlich und inhaltlich überein (TR-RESISCAN).</transferNote>
  ${batch.tenantArs ? `<tenantArs>${batch.tenantArs}</tenantArs>` : ''}
  <documents>${docs}
  </documents>
</scanBatch>
`;
}

/** A scan centre's PKI made with openssl at test time: a CA and the scan-centre certificate it issued. */
export type ScanCentrePki = TestPki;

export function scanCentrePki(dir: string, name = 'Scanzentrum Test'): Promise<ScanCentrePki> {
  return testPki(dir, { ca: `/C=DE/O=${name}/CN=${name} CA`, signer: `/C=DE/O=${name}/CN=${name} Siegel` });
}

/** The scan centre's seal over an index: `openssl cms -sign -binary` detached, DER (`index.xml.p7s`). */
export async function sealIndex(index: Buffer | string, pki: ScanCentrePki): Promise<Buffer> {
  return inTemp(async (dir) => {
    await writeFile(join(dir, 'index.xml'), index);
    await exec('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-in',
      join(dir, 'index.xml'),
      '-signer',
      pki.certPath,
      '-inkey',
      pki.keyPath,
      '-out',
      join(dir, 'index.xml.p7s'),
    ]);
    return readFile(join(dir, 'index.xml.p7s'));
  });
}
