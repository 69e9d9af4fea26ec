import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { type MailParserPort, type ParsedEmail } from './email.ports';

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((o) => o.value.flatMap((a) => [a.address, ...(a.group ?? []).map((g) => g.address)])).filter((a): a is string => !!a);
}

function paramsOf(value: HeaderValue | undefined): { value: string; params: Record<string, string> } {
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') {
    return { value: value.value, params: (value as { params?: Record<string, string> }).params ?? {} };
  }
  return { value: typeof value === 'string' ? value : 'text/plain', params: {} };
}

/** Adapter: nodemailer's mailparser (nested multiparts, legacy charsets, encoded words; TNEF stays opaque). */
export class MailparserAdapter implements MailParserPort {
  async parse(raw: Buffer): Promise<ParsedEmail> {
    const m = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true, keepCidLinks: true });
    const headers: Record<string, string[]> = {};
    for (const { key, line } of m.headerLines) {
      const colon = line.indexOf(':');
      const value = (colon >= 0 ? line.slice(colon + 1) : line).replace(/\r?\n[ \t]+/g, ' ').trim();
      (headers[key.toLowerCase()] ??= []).push(value);
    }
    const ct = paramsOf(m.headers.get('content-type'));
    const replyTo = addresses(m.replyTo)[0];
    const from = addresses(m.from)[0];
    return {
      ...(m.messageId ? { messageId: m.messageId } : {}),
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      ...(from ? { from: from.toLowerCase() } : {}),
      ...(replyTo ? { replyTo: replyTo.toLowerCase() } : {}),
      recipients: [...addresses(m.to), ...addresses(m.cc)].map((a) => a.toLowerCase()),
      headers,
      contentType: ct.value.toLowerCase(),
      contentTypeParams: Object.fromEntries(Object.entries(ct.params).map(([k, v]) => [k.toLowerCase(), v])),
      ...(m.text !== undefined ? { text: m.text } : {}),
      hasHtml: typeof m.html === 'string',
      attachments: m.attachments.map((a) => ({
        ...(a.filename ? { fileName: a.filename } : {}),
        contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
        content: a.content,
      })),
    };
  }
}
