import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

// An unquoted comma in a flow-style `{ description: a, b }` ends the description at the comma and turns the rest
// into a bogus key (`b: null`): the text is silently cut and the document carries a key no tool understands. Real
// keys of an OpenAPI or AsyncAPI object never contain whitespace; example payloads and path templates are skipped.
const ROOT = path.resolve(__dirname, '..', '..');

function bogusKeys(node: unknown, at: string[] = []): string[] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
    const here = [...at, key];
    const insideFreeForm = at.some((p) => p === 'example' || p === 'examples' || p === 'const' || p === 'default');
    const template = at.length === 1 && (at[0] === 'paths' || at[0] === 'channels');
    const own = !insideFreeForm && !template && /\s/.test(key) ? [`${here.join('/')}`] : [];
    return [...own, ...bogusKeys(value, here)];
  });
}

describe('API documents parse into the structure they were written with', () => {
  it.each(['docs/openapi.yaml', 'docs/asyncapi.yaml'])('%s has no key cut out of a description', (file) => {
    const doc: unknown = parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    expect(bogusKeys(doc)).toEqual([]);
  });

  it('finds the key an unquoted comma makes, also inside an operation', () => {
    expect(bogusKeys(parse('schema: { type: string, description: The document, UTF-8 only }'))).toEqual(['schema/UTF-8 only']);
    const op: unknown = parse(
      'paths:\n  /v1/x:\n    get:\n      parameters:\n        - { name: t, description: The type, e.g. x., in: query }\n',
    );
    expect(bogusKeys(op)).toEqual(['paths//v1/x/get/parameters/0/e.g. x.']);
  });
});
