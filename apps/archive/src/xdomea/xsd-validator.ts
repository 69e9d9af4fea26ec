import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Libxml2 = typeof import('libxml2-wasm');
type XsdValidator = InstanceType<Libxml2['XsdValidator']>;

export const XDOMEA_VERSIONS = ['3.0.0', '3.1.0'] as const;
export type XdomeaVersion = (typeof XDOMEA_VERSIONS)[number];

export const xdomeaNamespace = (version: XdomeaVersion) => `urn:xoev-de:xdomea:schema:${version}`;

// libxml2-wasm is an ES module with top-level await: only a real dynamic import() loads it (see libs/xrechnung).
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const esmImport = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/** apps/archive/xsd of this checkout, from the sources and from dist/ alike. */
export function defaultXsdDir(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, 'apps', 'archive', 'xsd');
    if (existsSync(join(candidate, '3.1.0', 'xdomea.xsd'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('xdomea XSDs not found (apps/archive/xsd); set EFILE_XSD_DIR');
}

export interface ParsedXml {
  /** Text of the first node the XPath (prefix `x` = xdomea namespace) selects. */
  text(xpath: string): string | undefined;
  texts(xpath: string): string[];
  root: string;
  namespace: string;
}

/** Validates xdomea messages against the shipped 3.0.0 and 3.1.0 schemas (compiled once, on first use). */
export class XdomeaSchemas {
  private libxml2: Libxml2 | undefined;
  private readonly validators = new Map<XdomeaVersion, XsdValidator>();

  private readonly xsdDir: string;

  /** `schemaFile`: where a version's `xdomea.xsd` is below `xsdDir` (default `<version>/xdomea.xsd`). */
  constructor(
    xsdDir?: string,
    private readonly schemaFile: (version: XdomeaVersion) => string = (v) => join(v, 'xdomea.xsd'),
  ) {
    this.xsdDir = xsdDir ?? defaultXsdDir();
  }

  private async lib(): Promise<Libxml2> {
    if (!this.libxml2) {
      const lib = await esmImport<Libxml2>('libxml2-wasm');
      const nodejs = await esmImport<{ xmlRegisterFsInputProviders(): boolean }>('libxml2-wasm/lib/nodejs.mjs');
      nodejs.xmlRegisterFsInputProviders(); // only for the XSDs' own includes: instance documents never load anything
      this.libxml2 = lib;
    }
    return this.libxml2;
  }

  private async validator(version: XdomeaVersion): Promise<XsdValidator> {
    let v = this.validators.get(version);
    if (!v) {
      const lib = await this.lib();
      const url = join(this.xsdDir, this.schemaFile(version));
      const doc = lib.XmlDocument.fromString(readFileSync(url, 'utf8'), { url });
      v = lib.XsdValidator.fromDoc(doc);
      this.validators.set(version, v);
    }
    return v;
  }

  /** The schema errors of `xml` (empty when valid), with the version taken from its namespace. */
  async validate(xml: string): Promise<{ version: XdomeaVersion | undefined; errors: string[]; parsed?: ParsedXml }> {
    const lib = await this.lib();
    let doc: InstanceType<Libxml2['XmlDocument']>;
    try {
      doc = lib.XmlDocument.fromString(xml, { option: lib.ParseOption.XML_PARSE_NONET | lib.ParseOption.XML_PARSE_NO_XXE });
    } catch (error) {
      return { version: undefined, errors: [`not well-formed XML: ${error instanceof Error ? error.message : String(error)}`] };
    }
    try {
      const root = doc.root;
      const version = XDOMEA_VERSIONS.find((v) => root.namespaceUri === xdomeaNamespace(v));
      if (!version)
        return { version, errors: [`the root element is not in an xdomea 3.0.0 or 3.1.0 namespace (${root.namespaceUri || 'none'})`] };
      try {
        (await this.validator(version)).validate(doc);
      } catch (error) {
        const details = (error as { details?: { message: string; line?: number }[] }).details;
        return { version, errors: details?.length ? details.map((d) => `line ${d.line ?? '?'}: ${d.message.trim()}`) : [String(error)] };
      }
      const ns = { x: xdomeaNamespace(version) };
      const texts = (xpath: string) => doc.find(xpath, ns).map((n) => n.content.trim());
      const snapshot = { root: root.name, namespace: root.namespaceUri };
      const collected = new Map<string, string[]>();
      const parsed: ParsedXml = {
        ...snapshot,
        texts: (xpath) => collected.get(xpath) ?? [],
        text: (xpath) => collected.get(xpath)?.[0],
      };
      for (const xpath of ANSWER_XPATHS) collected.set(xpath, texts(xpath));
      return { version, errors: [], parsed };
    } finally {
      doc.dispose();
    }
  }
}

/** What is read from an imported answer (the document is disposed of after validation). */
export const ANSWER_XPATHS = [
  '/*/x:Kopf/x:ProzessID',
  '/*/x:Kopf/x:Nachrichtentyp/code',
  '/*/x:BewertetesObjekt/x:ID',
  '/*/x:BewertetesObjekt/x:Aussonderungsart/x:Aussonderungsart/code',
] as const;
