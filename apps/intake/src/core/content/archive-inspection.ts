import { IntakeErrorCode, IntakeException } from '../intake.exception';

export interface ArchiveLimits {
  maxUncompressedBytes: number;
  maxRatio: number;
}

export interface ArchiveFacts {
  format: 'zip' | 'gzip';
  declaredUncompressedBytes: number;
  compressedBytes: number;
  entries: number;
}

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isGzip = (b: Buffer) => b.length >= 18 && b[0] === 0x1f && b[1] === 0x8b;

/** Reads the ZIP central directory (sizes as declared), never inflating anything. */
function zipFacts(b: Buffer): ArchiveFacts {
  const minEocd = 22;
  let eocd = -1;
  for (let i = b.length - minEocd; i >= Math.max(0, b.length - minEocd - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { format: 'zip', declaredUncompressedBytes: 0, compressedBytes: b.length, entries: 0 };
  const entries = b.readUInt16LE(eocd + 10);
  let offset = b.readUInt32LE(eocd + 16);
  let total = 0;
  let compressed = 0;
  for (let n = 0; n < entries && offset + 46 <= b.length; n++) {
    if (b.readUInt32LE(offset) !== 0x02014b50) break;
    const csize = b.readUInt32LE(offset + 20);
    const usize = b.readUInt32LE(offset + 24);
    // 0xffffffff means the real size is in a ZIP64 extra field: treat as the largest 32-bit size (already extreme).
    total += usize;
    compressed += csize === 0xffffffff ? 0 : csize;
    offset += 46 + b.readUInt16LE(offset + 28) + b.readUInt16LE(offset + 30) + b.readUInt16LE(offset + 32);
  }
  return { format: 'zip', declaredUncompressedBytes: total, compressedBytes: Math.max(compressed, 1), entries };
}

/** GZIP: ISIZE (uncompressed size mod 2^32) of the last member, from the trailer. */
function gzipFacts(b: Buffer): ArchiveFacts {
  return { format: 'gzip', declaredUncompressedBytes: b.readUInt32LE(b.length - 4), compressedBytes: b.length, entries: 1 };
}

export function archiveFacts(bytes: Buffer): ArchiveFacts | undefined {
  if (isZip(bytes)) return zipFacts(bytes);
  if (isGzip(bytes)) return gzipFacts(bytes);
  return undefined;
}

/**
 * Refuses zip/gzip attachments whose declared uncompressed size or compression ratio is extreme (zip bombs),
 * judged from headers only.
 */
export function assertNotArchiveBomb(
  bytes: Buffer,
  fileName: string,
  limits: ArchiveLimits,
  field: string = fileName,
): ArchiveFacts | undefined {
  const facts = archiveFacts(bytes);
  if (!facts) return undefined;
  const ratio = facts.declaredUncompressedBytes / Math.max(facts.compressedBytes, 1);
  if (facts.declaredUncompressedBytes > limits.maxUncompressedBytes || ratio > limits.maxRatio) {
    throw new IntakeException(
      IntakeErrorCode.ArchiveBomb,
      `attachment '${fileName}' is a ${facts.format} archive declaring ${facts.declaredUncompressedBytes} uncompressed bytes ` +
        `(ratio ${Math.round(ratio)}:1); limits are ${limits.maxUncompressedBytes} bytes and ${limits.maxRatio}:1`,
      { errors: [{ field, message: 'archive expands beyond the limits (possible zip bomb)' }] },
    );
  }
  return facts;
}
