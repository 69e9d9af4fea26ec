import { randomBytes } from 'node:crypto';
import { bodyParserProblem, describeJsonSyntaxError, firstInvalidUtf8Offset, jsonErrorOffset } from './body-errors';
import { toProblem } from './problem-details.filter';

const syntaxError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} parsed`);
};

describe('body errors', () => {
  describe('describeJsonSyntaxError', () => {
    it('gives line and column of the position, without the content', () => {
      const text = '{\n  "name": "Geheimnis",\n  "x": ]\n}';
      const loc = describeJsonSyntaxError(syntaxError(text), text);
      expect(loc.reason).not.toContain('Geheimnis');
      if (loc.position !== undefined) expect({ line: loc.line, column: loc.column }).toEqual({ line: 3, column: 8 });
    });
    it('reports a truncated body at its end', () => {
      const text = '{"a": [1, 2';
      expect(describeJsonSyntaxError(syntaxError(text), text)).toMatchObject({ position: expect.any(Number) as number, line: 1 });
    });
    it('never echoes the input, whatever the parser message says', () => {
      for (const text of ['{"secret": geheim}', '{"a": "b" "c"}', "{'a': 1}", 'tru', '{"a":1}}', '{"a": "\u0001"}']) {
        const loc = describeJsonSyntaxError(syntaxError(text), text);
        expect(loc.reason).not.toMatch(/geheim|secret|"a"|'a'/);
        expect(loc.reason.length).toBeGreaterThan(0);
      }
      expect(describeJsonSyntaxError(new SyntaxError('Unexpected token \'x\', "{"pw": x}" is not valid JSON'), '{"pw": x}')).toEqual({
        reason: 'unexpected character',
        position: 7,
        line: 1,
        column: 8,
      });
    });
  });

  describe('firstInvalidUtf8Offset', () => {
    it('finds the first invalid byte', () => {
      expect(firstInvalidUtf8Offset(Buffer.from('grüße 🚗'))).toBeUndefined();
      expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0x62, 0xc3, 0x28]))).toBe(2);
      expect(firstInvalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate
      expect(firstInvalidUtf8Offset(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
      expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated sequence
      expect(firstInvalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // beyond U+10FFFF
    });
    it('agrees with a fatal TextDecoder on random bytes', () => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for (let i = 0; i < 2000; i++) {
        const bytes = randomBytes(1 + (i % 12));
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8Offset(bytes) === undefined).toBe(valid);
      }
    });
  });

  describe('bodyParserProblem → problem details', () => {
    it('entity.parse.failed → 400 malformed-json with line/column and no content', () => {
      const body = '{"pw": "geheim",\n "x": }';
      const p = toProblem({
        type: 'entity.parse.failed',
        body,
        ...(syntaxError(body) as Error),
        message: (syntaxError(body) as Error).message,
      });
      expect(p).toMatchObject({ status: 400, type: 'https://poststelle.example/problems/malformed-json', title: 'MALFORMED_JSON' });
      expect(JSON.stringify(p)).not.toContain('geheim');
    });
    it('a bare JSON value (body-parser strict mode) → malformed-json saying an object or array is needed', () => {
      const p = toProblem({ type: 'entity.parse.failed', body: '"hallo"', message: 'Unexpected token \'"\', ""hallo"" is not valid JSON' });
      expect(p.status).toBe(400);
      expect(p.detail).toMatch(/object or array/);
      expect(JSON.stringify(p)).not.toContain('hallo');
    });
    it('entity.too.large → 413 payload-too-large naming the limit', () => {
      const p = toProblem({ type: 'entity.too.large', limit: 1024, expected: 5000 });
      expect(p).toMatchObject({
        status: 413,
        type: 'https://poststelle.example/problems/payload-too-large',
        limitBytes: 1024,
        receivedBytes: 5000,
      });
      expect(p.detail).toContain('1024');
    });
    it('invalid UTF-8 (the JSON parser verify step) → 400 invalid-utf8 with the byte offset', () => {
      expect(toProblem({ type: 'encoding.invalid-utf8', byteOffset: 7 })).toMatchObject({
        status: 400,
        type: 'https://poststelle.example/problems/invalid-utf8',
        byteOffset: 7,
      });
    });
    it('unsupported charset or content-encoding → 415 unsupported-encoding', () => {
      expect(toProblem({ type: 'charset.unsupported', charset: 'latin-9' })).toMatchObject({
        status: 415,
        type: 'https://poststelle.example/problems/unsupported-encoding',
      });
      expect(toProblem({ type: 'encoding.unsupported', encoding: 'zstd' }).status).toBe(415);
    });
    it('ignores anything that is not a body-parser error', () => {
      expect(bodyParserProblem(new Error('x'))).toBeUndefined();
      expect(bodyParserProblem({ type: 'something.else' })).toBeUndefined();
      expect(bodyParserProblem(undefined)).toBeUndefined();
    });
  });
});

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on where (and whether) text stops being JSON', () => {
    const cases: [string, number | undefined][] = [
      ['{"a": [1, 2.5e3, true, null, "x\\u00fc"]}', undefined],
      ['{"a": x}', 6],
      ['{\n  "tenantArs": ,\n}', 17],
      ['{"a": 1,}', 8],
      ['[1 2]', 3],
      ['{"a" 1}', 5],
      ["{'a': 1}", 1],
      ['{"a": "b\u0001"}', 8],
      ['{"a": 1} x', 9],
      ['{"a": "b', 8],
      ['-', 0],
    ];
    for (const [text, offset] of cases) {
      expect([text, jsonErrorOffset(text)]).toEqual([text, offset]);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(parses).toBe(offset === undefined);
    }
  });
  it('gives up (undefined) on absurd nesting rather than overflowing', () => {
    expect(jsonErrorOffset('['.repeat(200000))).toBeUndefined();
  });
});
