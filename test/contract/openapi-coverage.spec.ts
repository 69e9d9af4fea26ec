import * as fs from 'node:fs';
import * as path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { parse } from 'yaml';

// Every HTTP route a service declares is documented in docs/openapi.yaml, and every documented route exists: the
// OpenAPI document the services serve (/openapi.yaml) is what channel adapters and back offices program against.

const ROOT = path.resolve(__dirname, '..', '..');
/** Served by every service but not part of the API contract. */
const UNDOCUMENTED = new Set(['GET /openapi.yaml']);

function controllerFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return controllerFiles(full);
    return e.name.endsWith('.controller.ts') ? [full] : [];
  });
}

function join(...parts: string[]): string {
  const p = `/${parts
    .map((x) => x.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return p.replace(/:(\w+)/g, '{$1}');
}

async function declaredRoutes(): Promise<Map<string, string>> {
  const routes = new Map<string, string>();
  const files = [
    ...fs.readdirSync(path.join(ROOT, 'apps')).flatMap((app) => controllerFiles(path.join(ROOT, 'apps', app, 'src'))),
    ...controllerFiles(path.join(ROOT, 'libs', 'platform', 'src')),
  ];
  for (const file of files) {
    const exported = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (typeof value !== 'function') continue;
      const base = Reflect.getMetadata(PATH_METADATA, value) as string | string[] | undefined;
      if (base === undefined) continue;
      const proto = (value as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (sub === undefined || method === undefined) continue;
        for (const b of [base].flat()) {
          for (const s of [sub].flat()) routes.set(`${RequestMethod[method]} ${join(b, s)}`, path.relative(ROOT, file));
        }
      }
    }
  }
  return routes;
}

function documentedRoutes(): Set<string> {
  const doc = parse(fs.readFileSync(path.join(ROOT, 'docs', 'openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  return new Set(
    Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item)
        .filter((k) => methods.includes(k))
        .map((m) => `${m.toUpperCase()} ${p}`),
    ),
  );
}

describe('docs/openapi.yaml', () => {
  let declared = new Map<string, string>();
  const documented = documentedRoutes();
  // Path parameter names may differ between code and document; compare the shapes.
  const shape = (route: string) => route.replace(/\{[^}]+\}/g, '{}');
  const documentedShapes = new Set([...documented].map(shape));
  beforeAll(async () => {
    declared = await declaredRoutes();
  });

  it('finds the services’ routes', () => {
    expect(declared.size).toBeGreaterThan(30);
  });

  it('documents every route a service declares', () => {
    const missing = [...declared]
      .filter(([route]) => !UNDOCUMENTED.has(route) && !documentedShapes.has(shape(route)))
      .map(([r, f]) => `${r} (${f})`);
    expect(missing).toEqual([]);
  });

  it('documents no route that no service declares', () => {
    const declaredShapes = new Set([...declared.keys()].map(shape));
    expect([...documented].filter((route) => !declaredShapes.has(shape(route)))).toEqual([]);
  });
});
