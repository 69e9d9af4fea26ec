import { ServiceException } from './problem';

/** The content types the default body parsers of every service read (bootstrap.ts). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
export const RAW_MEDIA_TYPES = ['message/rfc822', 'application/xml', 'text/xml', 'application/octet-stream'];

/** Stable codes (problem `type` …/malformed-json etc.) for a request body that cannot be read. */
export enum BodyErrorCode {
  MalformedJson = 'MALFORMED_JSON',
  InvalidUtf8 = 'INVALID_UTF8',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  UnsupportedEncoding = 'UNSUPPORTED_ENCODING',
}

/** Where a JSON syntax error is, and what it is, without any of the content. */
export interface JsonSyntaxLocation {
  reason: string;
  /** Character offset (0-based) in the decoded body, when the parser reports it. */
  position?: number;
  /** 1-based line and column of `position`. */
  line?: number;
  column?: number;
}

/**
 * Describes a `JSON.parse` SyntaxError for `text` without echoing the content: V8's messages may quote the input
 * (`Unexpected token 'x', "{…}" is not valid JSON`), so only the grammar part is kept.
 */
export function describeJsonSyntaxError(error: unknown, text: string): JsonSyntaxLocation {
  const message = error instanceof Error ? error.message : '';
  let position: number | undefined;
  const at = /at position (\d+)/.exec(message);
  if (at) position = Number(at[1]);
  else if (/Unexpected end of JSON input/.test(message)) position = text.length;
  else position = jsonErrorOffset(text);
  let reason = message.replace(/\s*(?:in|after) JSON at position \d+.*$/s, '').trim();
  if (/Unexpected end of JSON input/.test(message)) reason = 'the JSON ends unexpectedly (truncated?)';
  else if (reason.includes('"') || /^Unexpected token/.test(reason) || reason.length === 0 || reason.length > 100) {
    reason = 'unexpected character';
  }
  if (position === undefined) return { reason };
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { reason, position, line, column };
}

class JsonScanStop extends Error {
  constructor(readonly offset: number) {
    super(`not JSON at ${offset}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Offset of the first character where `text` stops being JSON (RFC 8259), for parsers that do not report it
 * (V8 omits the position for an unexpected token); undefined if it parses or is nested too deeply to scan.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stop = (): never => {
    throw new JsonScanStop(i);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else stop();
        continue;
      }
      if (c < ' ') stop();
      i++;
    }
    stop();
  };
  const sticky = (re: RegExp): boolean => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i += m[0].length;
    return m !== null;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') stop();
          string();
          ws();
          if (text[i] !== ':') stop();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else stop();
      }
    }
    if (c === '"') return string();
    if (!sticky(LITERAL) && !sticky(NUMBER)) stop();
  };
  try {
    value();
    ws();
    if (i < text.length) stop();
    return undefined;
  } catch (error) {
    return error instanceof JsonScanStop ? error.offset : undefined;
  }
}

/** The human-readable form of a syntax location: `unexpected character at line 1, column 7 (position 6)`. */
export function formatJsonSyntaxLocation(loc: JsonSyntaxLocation): string {
  return loc.position === undefined ? loc.reason : `${loc.reason} at line ${loc.line}, column ${loc.column} (position ${loc.position})`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or undefined if valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, lo] = [2, 0xa0];
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b === 0xed) [need, hi] = [2, 0x9f];
    else if (b === 0xf0) [need, lo] = [3, 0x90];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) [need, hi] = [3, 0x8f];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return undefined;
}

/** Thrown by the JSON parser's verify step (bootstrap.ts) when the body is not UTF-8. */
export class InvalidUtf8BodyError extends Error {
  readonly status = 400;
  readonly type = 'encoding.invalid-utf8';
  constructor(readonly byteOffset: number) {
    super(`invalid UTF-8 at byte offset ${byteOffset}`);
  }
}

export const malformedJson = (loc: JsonSyntaxLocation, what = 'the request body') =>
  new ServiceException(BodyErrorCode.MalformedJson, 400, `${what} is not valid JSON: ${formatJsonSyntaxLocation(loc)}`, {
    errors: [{ field: '$', message: formatJsonSyntaxLocation(loc) }],
    ...(loc.position === undefined ? {} : { position: loc.position, line: loc.line, column: loc.column }),
  });

export const invalidUtf8 = (byteOffset: number, what = 'the request body') =>
  new ServiceException(BodyErrorCode.InvalidUtf8, 400, `${what} is not valid UTF-8 (first invalid byte at offset ${byteOffset})`, {
    errors: [{ field: '$', message: `invalid UTF-8 byte sequence at byte offset ${byteOffset}` }],
    byteOffset,
  });

export const payloadTooLarge = (limitBytes: number, receivedBytes?: number) =>
  new ServiceException(
    BodyErrorCode.PayloadTooLarge,
    413,
    `the request body ${receivedBytes ? `(${receivedBytes} bytes or more) ` : ''}exceeds the limit of ${limitBytes} bytes`,
    { limitBytes, ...(receivedBytes ? { receivedBytes } : {}) },
  );

export const unsupportedMediaType = (contentType: string | undefined, accepted: string[]) =>
  new ServiceException(
    BodyErrorCode.UnsupportedMediaType,
    415,
    `${contentType ? `content-type ${contentType.split(';')[0]!.trim()}` : 'a body without content-type'} is not accepted here; send ${accepted.join(', ')}`,
    { accepted },
  );

interface BodyParserError {
  type?: unknown;
  message?: unknown;
  limit?: unknown;
  expected?: unknown;
  received?: unknown;
  body?: unknown;
  byteOffset?: unknown;
  charset?: unknown;
  encoding?: unknown;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Maps an error from the express body parsers (body-parser/raw-body, identified by their `type`) to a typed
 * problem; undefined for anything else. Never echoes the body.
 */
export function bodyParserProblem(error: unknown): ServiceException | undefined {
  if (!error || typeof error !== 'object' || error instanceof ServiceException) return undefined;
  const e = error as BodyParserError;
  switch (e.type) {
    case 'entity.too.large': {
      const received = Math.max(num(e.expected) ?? 0, num(e.received) ?? 0);
      return payloadTooLarge(num(e.limit) ?? 0, received || undefined);
    }
    case 'entity.parse.failed': {
      const text = typeof e.body === 'string' ? e.body : '';
      const first = text.trimStart()[0];
      if (first !== undefined && first !== '{' && first !== '[') {
        // body-parser's strict mode: a bare string, number or literal at the top level.
        return malformedJson({ reason: 'the body must be a JSON object or array, not a bare value' });
      }
      return malformedJson(describeJsonSyntaxError(error, text));
    }
    case 'encoding.invalid-utf8':
      return invalidUtf8(num(e.byteOffset) ?? 0);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ServiceException(
        BodyErrorCode.UnsupportedEncoding,
        415,
        e.type === 'charset.unsupported'
          ? `charset ${typeof e.charset === 'string' ? e.charset : '?'} is not supported; send UTF-8`
          : `content-encoding ${typeof e.encoding === 'string' ? e.encoding : '?'} is not supported; send identity, gzip, deflate or br`,
      );
    default:
      return undefined;
  }
}
