import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

// The shape issue 13 asks of application code, checked on every file of apps/ (tests and migrations aside):
//   - no source file above 350 lines;
//   - no class with more than 8 constructor dependencies;
//   - no SQL outside `*.repository.ts`.
// Files that broke a rule before the rule existed are listed below with what they have today. A listed file may
// only get better (the test fails when it grows), and the entry must go once the file complies, so the lists only
// shrink until they are empty.

const ROOT = join(__dirname, '..', '..');
const MAX_LINES = 350;
const MAX_DEPENDENCIES = 8;

/** Longer than allowed today: file → its line count when the rule came (may not grow). */
const KNOWN_LONG: Record<string, number> = {};

/** Classes with more constructor dependencies today: `file#Class` → how many (may not grow). */
const KNOWN_CROWDED: Record<string, number> = {};

/** SQL statements outside a repository today: file → how many (may not grow). */
const KNOWN_SQL: Record<string, number> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' || name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

const SQL =
  /^\s*(SELECT\s[\s\S]*\sFROM\s|INSERT\s+INTO\s|UPDATE\s+[\w."]+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\(|CREATE\s|ALTER\s|DROP\s|TRUNCATE\s|LOCK\s+TABLE)/i;

/** SQL statements written as string or template literals in a file. */
export function sqlStatements(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (SQL.test(node.text)) found.push(node.text.trim().split(/\s+/).slice(0, 4).join(' '));
    } else if (ts.isTemplateExpression(node)) {
      if (SQL.test(node.head.text)) found.push(node.head.text.trim().split(/\s+/).slice(0, 4).join(' '));
      ts.forEachChild(node, visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Classes with more constructor parameters than allowed: `Class (n)` each. */
export function crowdedClasses(source: ts.SourceFile): { name: string; count: number }[] {
  const crowded: { name: string; count: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) {
      const ctor = node.members.find(ts.isConstructorDeclaration);
      if (ctor && ctor.parameters.length > MAX_DEPENDENCIES)
        crowded.push({ name: node.name?.text ?? '(anonymous)', count: ctor.parameters.length });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return crowded;
}

const files = sourceFiles(join(ROOT, 'apps')).map((path) => {
  const text = readFileSync(path, 'utf8');
  return {
    file: relative(ROOT, path),
    lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
    source: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true),
  };
});

describe('the shape of application code', () => {
  it('finds the application sources', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it(`keeps every source file at ${MAX_LINES} lines or fewer (known long files may only shrink)`, () => {
    const wrong = files.flatMap(({ file, lines }) => {
      const allowed = KNOWN_LONG[file] ?? MAX_LINES;
      if (lines > allowed) return [`${file}: ${lines} lines (allowed ${allowed})`];
      if (KNOWN_LONG[file] !== undefined && lines <= MAX_LINES) return [`${file}: ${lines} lines now, remove it from KNOWN_LONG`];
      return [];
    });
    expect(wrong).toEqual([]);
    for (const file of Object.keys(KNOWN_LONG)) expect(files.some((f) => f.file === file)).toBe(true);
  });

  it(`gives no class more than ${MAX_DEPENDENCIES} constructor dependencies (known classes may only lose some)`, () => {
    const found = files.flatMap(({ file, source }) => crowdedClasses(source).map((c) => ({ key: `${file}#${c.name}`, count: c.count })));
    const wrong = found.filter((c) => c.count > (KNOWN_CROWDED[c.key] ?? MAX_DEPENDENCIES)).map((c) => `${c.key}: ${c.count}`);
    const fixed = Object.keys(KNOWN_CROWDED).filter((key) => !found.some((c) => c.key === key));
    expect({ wrong, fixed }).toEqual({ wrong: [], fixed: [] });
  });

  it('keeps SQL in repositories (known files may only lose statements)', () => {
    const wrong = files
      .filter(({ file }) => !file.endsWith('.repository.ts'))
      .flatMap(({ file, source }) => {
        const count = sqlStatements(source).length;
        const allowed = KNOWN_SQL[file] ?? 0;
        if (count > allowed)
          return [`${file}: ${count} SQL statement(s) outside a repository (allowed ${allowed}): ${sqlStatements(source).join('; ')}`];
        if (allowed > 0 && count === 0) return [`${file}: no SQL left, remove it from KNOWN_SQL`];
        return [];
      });
    expect(wrong).toEqual([]);
  });

  it('recognises SQL and crowded constructors (the checks can fail)', () => {
    const probe = ts.createSourceFile(
      'probe.ts',
      'const a = `SELECT id FROM intake.cases WHERE id = ${x}`; const b = "UPDATE routing.rules SET x = 1"; const c = "select a file";\n' +
        'class Crowded { constructor(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9) {} }\nclass Fine { constructor(a: 1) {} }',
      ts.ScriptTarget.Latest,
      true,
    );
    expect(sqlStatements(probe)).toEqual(['SELECT id FROM intake.cases', 'UPDATE routing.rules SET x']);
    expect(crowdedClasses(probe)).toEqual([{ name: 'Crowded', count: 9 }]);
  });
});
