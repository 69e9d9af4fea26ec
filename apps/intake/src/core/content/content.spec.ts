import { gzipSync } from 'node:zlib';
import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { archiveFacts, assertNotArchiveBomb } from './archive-inspection';
import { decodeUtf8, parseJsonFormData, parseXmlFormData } from './form-data';

const limits = { maxUncompressedBytes: 10 * 1024 * 1024, maxRatio: 100 };

/** A ZIP with one stored entry whose central directory declares `declared` uncompressed bytes (nothing to inflate). */
function zipDeclaring(declared: number, compressed = 10): Buffer {
  const name = Buffer.from('bomb.txt');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  const data = Buffer.alloc(compressed);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as IntakeException).code;
  }
  return undefined;
};

describe('archive bombs are judged from headers', () => {
  it('refuses a zip declaring 4 GB', () => {
    expect(codeOf(() => assertNotArchiveBomb(zipDeclaring(0xfffffff0), 'x.zip', limits))).toBe(IntakeErrorCode.ArchiveBomb);
  });
  it('refuses an extreme ratio', () => {
    expect(codeOf(() => assertNotArchiveBomb(zipDeclaring(5 * 1024 * 1024, 1000), 'x.zip', limits))).toBe(IntakeErrorCode.ArchiveBomb);
  });
  it('accepts a normal zip', () => {
    expect(assertNotArchiveBomb(zipDeclaring(2000, 1000), 'ok.zip', limits)).toMatchObject({ format: 'zip', entries: 1 });
  });
  it('refuses a gzip of 20 MB of zeros by its trailer, and accepts ordinary gzip', () => {
    expect(codeOf(() => assertNotArchiveBomb(gzipSync(Buffer.alloc(20 * 1024 * 1024)), 'z.gz', limits))).toBe(IntakeErrorCode.ArchiveBomb);
    expect(archiveFacts(gzipSync(Buffer.from('hello world'.repeat(3))))).toMatchObject({ format: 'gzip', declaredUncompressedBytes: 33 });
    expect(assertNotArchiveBomb(Buffer.from('%PDF-1.4'), 'a.pdf', limits)).toBeUndefined();
  });
});

describe('form data parsing refuses hostile input', () => {
  const reject = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(IntakeException);
      return (e as IntakeException).code;
    }
    return undefined;
  };
  it('refuses DOCTYPE (XXE, billion laughs)', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    const lol = '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>';
    expect(await reject(parseXmlFormData(Buffer.from(xxe)))).toBe(IntakeErrorCode.XmlDoctypeForbidden);
    expect(await reject(parseXmlFormData(Buffer.from(lol)))).toBe(IntakeErrorCode.XmlDoctypeForbidden);
  });
  it('refuses malformed XML and JSON, and invalid UTF-8', async () => {
    expect(await reject(parseXmlFormData(Buffer.from('<a><b></a>')))).toBe(IntakeErrorCode.FormDataMalformed);
    expect(await reject(Promise.resolve().then(() => parseJsonFormData(Buffer.from('{"a":'))))).toBe(IntakeErrorCode.FormDataMalformed);
    expect(codeOf(() => decodeUtf8(Buffer.from([0x61, 0xff, 0xfe]), 'x'))).toBe(IntakeErrorCode.InvalidUtf8);
  });
  it('parses well-formed XML', async () => {
    expect(await parseXmlFormData(Buffer.from('<antrag><leikaKey>99050012104000</leikaKey></antrag>'))).toEqual({
      antrag: { leikaKey: '99050012104000' },
    });
  });
});
