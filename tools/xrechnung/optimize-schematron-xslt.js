#!/usr/bin/env node
// Build-time, semantics-preserving speed-ups of the Schematron XSLTs for saxon-js (ADR 0006). Three rewrites:
//
// 1. Empty default-mode walks (all four XSLTs, always). The ISO Schematron skeleton writes `<xsl:apply-templates/>`
//    into every svrl:active-pattern: one walk over the whole document in the default mode per pattern (3 per EN 16931
//    XSLT, 6 and 7 per XRechnung XSLT). In these stylesheets the default mode has only two templates, `match="/"`
//    (never reached again: the walk starts at the children of the document node) and an empty
//    `match="text()" priority="-1"`; elements fall to the built-in rule (apply templates to the children), comments
//    and processing instructions to the empty built-in one. So each walk writes nothing and has no effect; it is
//    removed. The script refuses a file with any other default-mode template, an xsl:mode, xsl:import or xsl:include.
//
// 2. (--hoist, the EN 16931 XSLTs) Absolute `//` scans. The EN 16931 asserts on the document element scan the whole
//    document again and again: `//cac:TaxCategory[...]`, `//cac:AllowanceCharge[...]`, ... (216 absolute `//` paths
//    in the UBL XSLT, 111 in the CII one), and saxon-js evaluates every one of them as a fresh descendant walk. Each
//    distinct absolute head step (`//cac:AllowanceCharge`, `//(cac:InvoiceLine|cac:CreditNoteLine)`) gets one global
//    variable, evaluated at most once per document, and the asserts read the variable:
//
//      exists(//cac:AllowanceCharge[cbc:ChargeIndicator=false()]/cac:TaxCategory)
//      exists($pst:d3[cbc:ChargeIndicator=false()]/cac:TaxCategory)  with <xsl:variable name="pst:d3" select="//cac:AllowanceCharge"/>
//
//    Why the result is identical:
//    - `//N` (an absolute path) selects, in document order, every N element of the document that contains the
//      context node. These stylesheets read no other document (no doc(), document(), collection(), parse-xml(); the
//      script refuses any that do) and build no temporary tree that a test navigates, so every context node of every
//      test is in the source document, which is also the global context item the global variable is evaluated
//      against. The variable holds the same nodes in the same (document) order.
//    - A predicate after the head step (`//N[p]` = `/descendant-or-self::node()/child::N[p]`) is evaluated per parent
//      in the original and over the whole sequence in `$v[p]`. That differs only for positional predicates (a
//      numeric value, position(), last()). Only predicates that are comparisons or boolean functions are rewritten;
//      any other occurrence stays as it is.
//    - Only the `test` attribute of xsl:when / xsl:if (the evaluated condition) is rewritten, never the text copied
//      into the SVRL output (svrl:failed-assert/@test), so the report is byte-for-byte the same.
//
// 3. (--hoist) `not(path)` asserts on the document element: see hoistDocumentElementPaths below.
//
// Usage: node optimize-schematron-xslt.js [--hoist] file.xslt...   (rewrites in place, reports what it did)
'use strict';
const fs = require('node:fs');

const PST_NS = 'urn:poststelle:xrechnung:build';
const QNAME = String.raw`[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*`;
// A bracketed predicate, with at most one level of nested brackets (all the predicates in these files).
const PREDICATE = String.raw`\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]`;
// `//` at the start of a path expression: not preceded by a step, a closing bracket/parenthesis, `.`, `*` or `$x`.
const ABSOLUTE_SCAN = new RegExp(String.raw`(?<![\w\)\]\.\*\$-])//(\((?:${QNAME})(?:\|${QNAME})*\)|${QNAME})((?:${PREDICATE})*)`, 'g');
// A predicate whose value is certainly boolean: a general/value comparison at its top level, or a boolean function.
const isBooleanPredicate = (p) => {
  const body = p.slice(1, -1).trim();
  if (/\bposition\s*\(|\blast\s*\(/.test(body)) return false;
  if (/^(not|exists|empty|boolean|contains|starts-with|ends-with|matches)\s*\(/.test(body) && body.endsWith(')')) return true;
  // strip nested brackets and parenthesised groups, then look for a comparison operator at the top level
  let flat = body;
  for (let prev = ''; prev !== flat; ) {
    prev = flat;
    flat = flat.replace(/\([^()]*\)/g, '()').replace(/\[[^\[\]]*\]/g, '[]');
  }
  return /(!=|<=|>=|=|<|>|\beq\b|\bne\b|\blt\b|\ble\b|\bgt\b|\bge\b|\band\b|\bor\b)/.test(flat.replace(/'[^']*'|"[^"]*"/g, "''"));
};

// A plain location path: element name steps (`cac:X` or `(cac:X|cac:Y)`), the last one may be an attribute `@x`.
const ELEMENT_STEP = String.raw`(?:${QNAME}|\(${QNAME}(?:\|${QNAME})*\))`;
const SIMPLE_NOT_PATH = new RegExp(
  String.raw`^\s*not\(\s*(${ELEMENT_STEP}(?:/${ELEMENT_STEP})*)/(${ELEMENT_STEP}|@[\w.-]+(?::[\w.-]+)?)\s*\)\s*$`,
);
// A template match that selects only the document element: a union of absolute one-step patterns (`/ubl:Invoice`).
const DOCUMENT_ELEMENT_MATCH = new RegExp(String.raw`^\s*/${QNAME}(?:\s*\|\s*/${QNAME})*\s*$`);

const unescapeAttr = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function rewrite(text, file) {
  const xpaths = [...text.matchAll(/\s(?:select|test|match|use|group-by|group-adjacent)="([^"]*)"/g)].map((m) => unescapeAttr(m[1]));
  if (xpaths.some((x) => /\b(doc|document|collection|parse-xml|parse-xml-fragment|unparsed-text|json-doc)\s*\(/.test(x))) {
    throw new Error(`${file} reads other documents: the // hoisting is not valid for it`);
  }
  const marker = '<!--SCHEMATRON PATTERNS-->';
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file}: no ${marker} section`);
  const heads = new Map(); // head step -> variable name
  let count = 0;
  const patterns = text.slice(at).replace(/(<xsl:(?:when|if) test=")([^"]*)(")/g, (_all, open, test, close) => {
    const expr = unescapeAttr(test);
    const out = expr.replace(ABSOLUTE_SCAN, (scan, head, predicates) => {
      const preds = predicates.match(new RegExp(PREDICATE, 'g')) ?? [];
      if (!preds.every(isBooleanPredicate)) return scan;
      if (!heads.has(head)) heads.set(head, `pst:d${heads.size + 1}`);
      count++;
      return `$${heads.get(head)}${predicates}`;
    });
    return out === expr ? open + test + close : open + escapeAttr(out) + close;
  });
  if (count === 0) throw new Error(`${file}: no absolute // scan found: check this script against the new rules`);
  const root = hoistDocumentElementPaths(patterns);
  const globals = [
    ...[...heads].map(([head, name]) => `<xsl:variable name="${name}" select="${escapeAttr(`//${head}`)}" />`),
    ...root.globals,
  ].join('\n  ');
  const prolog = text
    .slice(0, at)
    .replace(/<xsl:stylesheet /, `<xsl:stylesheet xmlns:pst="${PST_NS}" `)
    .replace(/(<xsl:stylesheet [^>]*)>/, `$1 exclude-result-prefixes="pst">`);
  if (!prolog.includes(`xmlns:pst="${PST_NS}"`) || /exclude-result-prefixes="[^"]*" exclude-result-prefixes/.test(prolog)) {
    throw new Error(`${file}: cannot declare the pst namespace on xsl:stylesheet`);
  }
  return {
    text: `${prolog}<!--poststelle: absolute // scans and document-element paths hoisted into global variables (tools/xrechnung/optimize-schematron-xslt.js)-->\n  ${globals}\n${root.patterns}`,
    count,
    heads: heads.size,
    rootCount: root.count,
    rootPrefixes: root.globals.length,
  };
}

// Rewrite 3, in the rules whose context is always the document element (match="/ubl:Invoice | /cn:CreditNote"):
// hundreds of `not(cac:A/cac:B/cbc:C)` asserts (UBL-CR-*), each walking from the document element again. Every
// distinct prefix of such a path gets one global variable built from the next shorter one (`$pst:r2 := $pst:r1/cac:B`,
// `$pst:r1 := /*/cac:A`), and the assert reads `not($pst:r2/cbc:C)`. Equivalent because the context node E of these
// rules is the document element, the only element child of the document node (so E/cac:A is /*/cac:A), a path
// without predicates yields the same nodes however it is split into steps, and not() only asks whether it is empty.
function hoistDocumentElementPaths(patterns) {
  const prefixes = new Map(); // "cac:A/cac:B" -> variable name
  const globals = [];
  const variableFor = (steps) => {
    const key = steps.join('/');
    if (!prefixes.has(key)) {
      const parent = steps.length === 1 ? '/*' : `$${variableFor(steps.slice(0, -1))}`;
      const name = `pst:r${prefixes.size + 1}`;
      prefixes.set(key, name);
      globals.push(`<xsl:variable name="${name}" select="${escapeAttr(`${parent}/${steps[steps.length - 1]}`)}" />`);
    }
    return prefixes.get(key);
  };
  let count = 0;
  const out = patterns.replace(
    /(<xsl:template match=")([^"]*)(" mode="[^"]*" priority="[^"]*">)([\s\S]*?<\/xsl:template>)/g,
    (all, open, match, rest, body) => {
      if (!DOCUMENT_ELEMENT_MATCH.test(unescapeAttr(match))) return all;
      const newBody = body.replace(/(<xsl:when test=")([^"]*)(")/g, (whole, o, test, c) => {
        const m = SIMPLE_NOT_PATH.exec(unescapeAttr(test));
        if (!m) return whole;
        count++;
        return `${o}${escapeAttr(`not($${variableFor(m[1].split('/'))}/${m[2]})`)}${c}`;
      });
      return open + match + rest + newBody;
    },
  );
  return { patterns: out, globals, count };
}

// Rewrite 1: the empty default-mode walks inside svrl:active-pattern.
function dropDefaultModeWalks(text, file) {
  const defaultModeTemplates = [...text.matchAll(/<xsl:template\b[^>]*>/g)].map((m) => m[0]).filter((t) => !/\smode="/.test(t));
  const expected = ['<xsl:template match="text()" priority="-1" />', '<xsl:template match="/">'];
  if (defaultModeTemplates.length !== 2 || !expected.every((t) => defaultModeTemplates.includes(t))) {
    throw new Error(`${file}: unexpected default-mode templates ${JSON.stringify(defaultModeTemplates)}`);
  }
  if (/<xsl:(mode|import|include)\b/.test(text)) throw new Error(`${file}: xsl:mode/xsl:import/xsl:include present`);
  let count = 0;
  const out = text.replace(/(<\/xsl:attribute>)\s*<xsl:apply-templates \/>(\s*<\/svrl:active-pattern>)/g, (_all, a, b) => {
    count++;
    return a + b;
  });
  if (count === 0) throw new Error(`${file}: no default-mode walk found: check this script against the new rules`);
  if (/<xsl:apply-templates\s*\/>/.test(out)) throw new Error(`${file}: a default-mode walk outside svrl:active-pattern`);
  return { text: out, count };
}

const args = process.argv.slice(2);
const hoist = args.includes('--hoist');
for (const file of args.filter((a) => a !== '--hoist')) {
  const walks = dropDefaultModeWalks(fs.readFileSync(file, 'utf8'), file);
  let text = walks.text;
  let report = `${walks.count} empty default-mode walks removed`;
  if (hoist) {
    const result = rewrite(text, file);
    text = result.text;
    report +=
      `; ${result.count} absolute // scans now read ${result.heads} global variables; ` +
      `${result.rootCount} not(path) asserts on the document element share ${result.rootPrefixes} path prefixes`;
  }
  fs.writeFileSync(file, text);
  console.error(`[xrechnung-rules] ${file}: ${report}`);
}
