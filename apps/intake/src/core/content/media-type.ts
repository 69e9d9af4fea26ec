/** Media types recognised by their first bytes ("magic numbers"); the rest is not sniffed. */
export type SniffedType =
  | 'application/pdf'
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/tiff'
  | 'application/zip'
  | 'application/gzip';

const SIGNATURES: [SniffedType, (b: Buffer) => boolean][] = [
  ['image/png', (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1'))],
  ['image/tiff', (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1'))],
  ['application/zip', (b) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50],
  ['application/gzip', (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b],
  ['application/pdf', (b) => /%PDF-\d\.\d/.test(b.subarray(0, 1024).toString('latin1'))],
];

export function sniffMediaType(bytes: Buffer): SniffedType | undefined {
  return SIGNATURES.find(([, test]) => test(bytes))?.[0];
}

/** Declared names that mean the same format. */
const ALIASES: Record<string, SniffedType> = {
  'application/pdf': 'application/pdf',
  'application/x-pdf': 'application/pdf',
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/gif': 'image/gif',
  'image/tiff': 'image/tiff',
  'application/zip': 'application/zip',
  'application/x-zip-compressed': 'application/zip',
  'application/gzip': 'application/gzip',
  'application/x-gzip': 'application/gzip',
};

/** Declared types that name no format in particular: any content may carry them. */
const GENERIC = /^(application\/octet-stream|application\/x-download|binary\/octet-stream)$/;

/** Declared types whose content is text (JSON, XML, plain text, CSV, calendars, ...): a binary format is a mismatch. */
const TEXTUAL = /^(text\/[-\w.+]+|application\/([-\w.]+\+)?(json|xml))$/;

/**
 * Whether the declared media type fits the bytes: a declared known binary format must be that format; a declared
 * textual type must not be a known binary format. Generic and unknown types are not judged.
 */
export function mediaTypeMismatch(declared: string, bytes: Buffer): { declared: string; detected: string } | undefined {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  if (!type || GENERIC.test(type)) return undefined;
  const sniffed = sniffMediaType(bytes);
  const expected = ALIASES[type];
  if (expected) {
    if (sniffed === expected) return undefined;
    return { declared: type, detected: sniffed ?? 'unrecognised content' };
  }
  if (TEXTUAL.test(type) && sniffed) return { declared: type, detected: sniffed };
  return undefined;
}
