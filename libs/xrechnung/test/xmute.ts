// Expands KoSIT xml-mutate (`<?xmute ...?>`) processing instructions into mutants. Each PI mutates the element that
// follows it: identity (unchanged), remove, empty (no content), code (one mutant per value, as text or as the
// named attribute), whitespace (content padded with whitespace). Expected rule ids come from schematron-invalid
// (must fire) and schematron-valid (must not fire); their schema prefix (xrubl:, xrcii:) is dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Mutant {
  file: string;
  name: string;
  xml: string;
  mustFire: string[];
  mustNotFire: string[];
}

const PI = /<\?xmute\s([\s\S]*?)\?>/g;

function attributes(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) out[m[1] as string] = m[2] as string;
  return out;
}

const ruleIds = (list: string | undefined): string[] =>
  (list ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((r) => r.replace(/^[\w-]+:/, ''));

/** Skips whitespace, comments and PIs; returns the start of the next element tag. */
function nextElementStart(xml: string, from: number): number {
  let i = from;
  for (;;) {
    while (/\s/.test(xml[i] ?? '')) i++;
    if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
    else if (xml[i] === '<' && xml[i + 1] !== '/') return i;
    else throw new Error(`no element follows the xmute PI at offset ${from}`);
  }
}

interface ElementSpan {
  start: number;
  openEnd: number; // index after '>' of the start tag
  closeStart: number; // index of '</' (== openEnd for self-closing)
  end: number;
  selfClosing: boolean;
  openTag: string;
}

function elementSpan(xml: string, start: number): ElementSpan {
  const tagRe = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([^\s/>]+)[^>]*?(\/?)>/g;
  tagRe.lastIndex = start;
  let depth = 0;
  let first: { openEnd: number; selfClosing: boolean; openTag: string } | undefined;
  for (let m = tagRe.exec(xml); m; m = tagRe.exec(xml)) {
    if (m[2] === undefined) continue; // comment, PI, CDATA
    const closing = m[1] === '/';
    const selfClosing = m[3] === '/';
    const end = m.index + m[0].length;
    if (!first) {
      first = { openEnd: end, selfClosing, openTag: m[0] };
      if (selfClosing) return { start, openEnd: end, closeStart: end, end, selfClosing, openTag: m[0] };
      depth = 1;
      continue;
    }
    if (selfClosing) continue;
    depth += closing ? -1 : 1;
    if (depth === 0) return { start, openEnd: first.openEnd, closeStart: m.index, end, selfClosing: false, openTag: first.openTag };
  }
  throw new Error(`unterminated element at offset ${start}`);
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function tagName(openTag: string): string {
  return /^<([^\s/>]+)/.exec(openTag)?.[1] ?? '';
}

function withContent(xml: string, el: ElementSpan, content: string): string {
  const open = el.selfClosing ? el.openTag.replace(/\s*\/>$/, '>') : el.openTag;
  return `${xml.slice(0, el.start)}${open}${content}</${tagName(el.openTag)}>${xml.slice(el.end)}`;
}

function withAttribute(xml: string, el: ElementSpan, name: string, value: string): string {
  const attr = new RegExp(`(\\s${name}\\s*=\\s*)(["'])[^"']*\\2`);
  const open = attr.test(el.openTag)
    ? el.openTag.replace(attr, `$1"${escapeXml(value)}"`)
    : el.openTag.replace(/^(<[^\s/>]+)/, `$1 ${name}="${escapeXml(value)}"`);
  return `${xml.slice(0, el.start)}${open}${xml.slice(el.openEnd)}`;
}

export function expandMutants(file: string): Mutant[] {
  const source = fs.readFileSync(file, 'utf8');
  const strip = (xml: string): string => xml.replace(PI, '');
  const mutants: Mutant[] = [];
  // PIs inside comments are switched off: scan a copy with comments blanked out (same offsets).
  const active = source.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length));
  for (const pi of active.matchAll(PI)) {
    const a = attributes(pi[1] ?? '');
    const el = elementSpan(source, nextElementStart(source, (pi.index ?? 0) + pi[0].length));
    const base = { file: path.basename(file), mustFire: ruleIds(a['schematron-invalid']), mustNotFire: ruleIds(a['schematron-valid']) };
    const label = `${path.basename(file)}#${a.id ?? `pi@${pi.index}`} (${a.mutator})`;
    const variants: { name: string; xml: string }[] = [];
    switch (a.mutator ?? '') {
      case 'identity':
        variants.push({ name: label, xml: source });
        break;
      case 'remove':
        variants.push({ name: label, xml: source.slice(0, el.start) + source.slice(el.end) });
        break;
      case 'empty':
        variants.push({ name: label, xml: a.attribute ? withAttribute(source, el, a.attribute, '') : withContent(source, el, '') });
        break;
      case 'whitespace': {
        const content = el.selfClosing ? '' : source.slice(el.openEnd, el.closeStart);
        variants.push({ name: label, xml: withContent(source, el, `\n    ${content}   \t\n  `) });
        break;
      }
      case 'code':
        for (const value of (a.values ?? '').split(a.separator ?? ',').map((v) => v.trim())) {
          const xml = a.attribute ? withAttribute(source, el, a.attribute, value) : withContent(source, el, escapeXml(value));
          variants.push({ name: `${label} = ${value}`, xml });
        }
        break;
      default:
        throw new Error(`${label}: unknown xmute mutator "${a.mutator}"`);
    }
    for (const v of variants) mutants.push({ ...base, name: v.name, xml: strip(v.xml) });
  }
  return mutants;
}
