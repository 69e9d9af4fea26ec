/**
 * Finds the signed parts of a raw RFC 822 message exactly as they were signed, which a parsed message no longer
 * has: S/MIME and PGP/MIME `multipart/signed` (RFC 1847: the first part's bytes, headers included, up to the CRLF
 * before the next boundary) and opaque S/MIME `application/pkcs7-mime; smime-type=signed-data`.
 */
export type SignedParts =
  | { kind: 'smime'; form: 'detached'; content: Buffer; signature: Buffer }
  | { kind: 'smime'; form: 'opaque'; signature: Buffer }
  | { kind: 'pgp'; content: Buffer; signature: string };

interface Entity {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits header block and body; unfolds headers; lower-case names, first occurrence wins. */
function splitEntity(bytes: Buffer): Entity {
  let end = bytes.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = bytes.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) {
    end = lf;
    sep = 2;
  }
  if (end < 0) return { headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string> = {};
  const text = bytes
    .subarray(0, end)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body: bytes.subarray(end + sep) };
}

/** `type/subtype` plus parameters (quoted values unquoted), all names lower case. */
export function contentTypeOf(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const m of rest.join(';').matchAll(/([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/g)) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(entity: Entity): Buffer {
  const cte = (entity.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(entity.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  return entity.body;
}

/** The parts between `--boundary` lines, as raw bytes without the CRLF that belongs to the next delimiter. */
function multipartParts(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const positions: number[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(delimiter, from);
    if (at < 0) break;
    if (at === 0 || text[at - 1] === '\n') positions.push(at);
    from = at + delimiter.length;
  }
  const parts: Buffer[] = [];
  for (let i = 0; i + 1 < positions.length; i++) {
    const lineEnd = text.indexOf('\n', positions[i]);
    if (lineEnd < 0) break;
    let end = positions[i + 1]!;
    // The line break before a delimiter belongs to the delimiter (RFC 2046).
    if (text[end - 1] === '\n') end -= text[end - 2] === '\r' ? 2 : 1;
    parts.push(body.subarray(lineEnd + 1, Math.max(lineEnd + 1, end)));
  }
  return parts;
}

export function findSignedParts(raw: Buffer): SignedParts | undefined {
  const top = splitEntity(raw);
  const ct = contentTypeOf(top.headers['content-type']);
  if (ct.type === 'multipart/signed' && ct.params['boundary']) {
    const [content, sig] = multipartParts(top.body, ct.params['boundary']);
    if (!content || !sig) return undefined;
    const sigEntity = splitEntity(sig);
    const sigType = contentTypeOf(sigEntity.headers['content-type']).type;
    const protocol = (ct.params['protocol'] ?? '').toLowerCase();
    if (/pkcs7-signature$/.test(sigType) || /pkcs7-signature$/.test(protocol)) {
      return { kind: 'smime', form: 'detached', content, signature: decodeBody(sigEntity) };
    }
    if (sigType === 'application/pgp-signature' || protocol === 'application/pgp-signature') {
      return { kind: 'pgp', content, signature: decodeBody(sigEntity).toString('utf8') };
    }
    return undefined;
  }
  if (/^application\/(x-)?pkcs7-mime$/.test(ct.type)) {
    const smimeType = (ct.params['smime-type'] ?? '').toLowerCase();
    if (smimeType && smimeType !== 'signed-data') return undefined;
    return { kind: 'smime', form: 'opaque', signature: decodeBody(top) };
  }
  return undefined;
}

/** Line endings as signed: MIME canonical form is CRLF; messages stored with bare LF are converted back. */
export function canonicalCrlf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}
