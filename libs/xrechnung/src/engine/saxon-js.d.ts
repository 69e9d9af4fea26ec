// Minimal typings for the parts of saxon-js (no published types) that the validation worker uses.
declare module 'saxon-js' {
  interface SaxonNode {
    getAttribute(name: string): string | null;
    textContent: string | null;
  }
  interface SaxonJS {
    getPlatform(): { parseXmlFromString(text: string): unknown };
    transform(
      options: { stylesheetInternal: unknown; sourceNode: unknown; destination: 'document' },
      mode: 'sync',
    ): { principalResult: unknown };
    XPath: {
      evaluate(
        xpath: string,
        context: unknown,
        options: { namespaceContext?: Record<string, string>; resultForm?: 'array' | 'iterator' | 'default' },
      ): unknown;
    };
  }
  const saxonJs: SaxonJS;
  export default saxonJs;
  export type { SaxonNode };
}
