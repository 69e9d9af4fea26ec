import * as fs from 'node:fs';
import * as path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { parse } from 'yaml';
import { PERMISSIONS } from '@poststelle/platform';

const PERMISSION_KEY = 'poststelle:permission';
const PUBLIC_KEY = 'poststelle:public';

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

/** `@Permission(...)` of each route (`public` for `@Public()`), by route. */
const access = new Map<string, string | undefined>();

async function declaredRoutes(): Promise<Map<string, string>> {
  const routes = new Map<string, string>();
  const files = [
    // The operator console serves HTML to people, not an API (ADR 0021: its pages are documented in the README).
    ...fs
      .readdirSync(path.join(ROOT, 'apps'))
      .filter((app) => app !== 'console')
      .flatMap((app) => controllerFiles(path.join(ROOT, 'apps', app, 'src'))),
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
          for (const s of [sub].flat()) {
            const route = `${RequestMethod[method]} ${join(b, s)}`;
            routes.set(route, path.relative(ROOT, file));
            const isPublic = [handler, value].some((t) => Reflect.getMetadata(PUBLIC_KEY, t) === true);
            const permission = (Reflect.getMetadata(PERMISSION_KEY, handler) ?? Reflect.getMetadata(PERMISSION_KEY, value)) as
              | string
              | undefined;
            access.set(route, isPublic ? 'public' : permission);
          }
        }
      }
    }
  }
  return routes;
}

interface Operation {
  security?: Record<string, string[]>[];
  'x-permission'?: string;
}
const doc = parse(fs.readFileSync(path.join(ROOT, 'docs', 'openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
  components: { securitySchemes?: Record<string, { type: string; scheme?: string; openIdConnectUrl?: string }> };
};

function documentedRoutes(): Set<string> {
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

  it('declares the bearer scheme, required everywhere by default', () => {
    expect(doc.components.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('names the permission of each operation as its route declares it (x-permission; security: [] only where public)', () => {
    const operations = new Map<string, Operation>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (['get', 'put', 'post', 'delete', 'patch'].includes(m)) operations.set(shape(`${m.toUpperCase()} ${p}`), op as Operation);
      }
    }
    const wrong: string[] = [];
    for (const [route, permission] of access) {
      const op = operations.get(shape(route));
      if (!op) continue;
      if (permission === 'public') {
        if (!(Array.isArray(op.security) && op.security.length === 0) || op['x-permission'] !== undefined)
          wrong.push(`${route}: public, so security: [] and no x-permission`);
      } else if (!permission || !(PERMISSIONS as readonly string[]).includes(permission)) {
        wrong.push(`${route}: no @Permission in the code`);
      } else if (op['x-permission'] !== permission || op.security !== undefined) {
        wrong.push(`${route}: x-permission ${permission} (documented: ${op['x-permission']}), no security override`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
