/** A minimal XML element tree and serialiser: element order is exactly as given, text and attributes are escaped. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  children?: (XmlNode | undefined)[];
  text?: string;
}

/** XML 1.0 `Char`: tab, LF, CR, and everything from U+0020 except surrogates and U+FFFE/U+FFFF. */
const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;

/** Drops characters XML cannot carry at all (C0 controls, lone surrogates), which no escaping could represent. */
const xmlChars = (s: string): string =>
  Array.from(s)
    .filter((ch) => isXmlChar(ch.codePointAt(0) ?? 0))
    .join('');

export const escapeXml = (s: string): string =>
  xmlChars(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** Builds a node; `undefined` children are skipped, so optional business terms read naturally. */
export function el(name: string, content?: string | (XmlNode | undefined)[], attrs?: Record<string, string>): XmlNode {
  return typeof content === 'string' ? { name, text: content, attrs } : { name, children: content ?? [], attrs };
}

/** Element only when the value is present. */
export const opt = (name: string, value: string | undefined, attrs?: Record<string, string>): XmlNode | undefined =>
  value === undefined || value === '' ? undefined : el(name, value, attrs);

function write(node: XmlNode, indent: string, out: string[]): void {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.text !== undefined) {
    out.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`);
    return;
  }
  const children = (node.children ?? []).filter((c): c is XmlNode => c !== undefined);
  if (children.length === 0) {
    out.push(`${indent}<${node.name}${attrs}/>`);
    return;
  }
  out.push(`${indent}<${node.name}${attrs}>`);
  for (const child of children) write(child, `${indent}  `, out);
  out.push(`${indent}</${node.name}>`);
}

export function serialiseXml(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, '', out);
  return `${out.join('\n')}\n`;
}
