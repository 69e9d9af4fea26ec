import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { parse } from 'yaml';
import * as contracts from './index';
import { Topics } from './topics';

// class-transformer keeps `@Type` metadata in a storage it does not re-export from its index.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: object, property: string): { typeFunction?: () => unknown } | undefined };
};

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  allOf?: JsonSchema[];
}

const doc = parse(readFileSync(resolve(__dirname, '../../../docs/asyncapi.yaml'), 'utf8')) as {
  asyncapi: string;
  channels: Record<string, { address: string }>;
  components: { schemas: Record<string, JsonSchema> };
};

type Ctor = new () => object;

/** Contract classes: every exported class that carries class-validator metadata. */
const classes = Object.entries(contracts).filter(
  (entry): entry is [string, Ctor] =>
    typeof entry[1] === 'function' && getMetadataStorage().getTargetValidationMetadatas(entry[1] as Ctor, '', true, false).length > 0,
);

function describeClass(cls: Ctor): { properties: Set<string>; optional: Set<string>; nested: Map<string, string> } {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const properties = new Set(metas.map((m) => m.propertyName));
  const optional = new Set(
    metas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name !== 'validateIf').map((m) => m.propertyName),
  );
  // `@ValidateIf` makes a field conditionally required; treat it as optional in the schema.
  metas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).forEach((m) => optional.add(m.propertyName));
  const nested = new Map<string, string>();
  for (const p of properties) {
    const type = defaultMetadataStorage.findTypeMetadata(cls, p);
    if (type?.typeFunction) nested.set(p, (type.typeFunction() as Ctor).name);
  }
  return { properties, optional, nested };
}

function refName(schema: JsonSchema | undefined): string | undefined {
  const ref = schema?.$ref ?? schema?.items?.$ref;
  return ref?.split('/').pop();
}

describe('docs/asyncapi.yaml agrees with the contract classes', () => {
  it('is an AsyncAPI 3 document that names every topic', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
    const addresses = new Set(Object.values(doc.channels).map((c) => c.address));
    for (const topic of Object.values(Topics)) expect({ topic, documented: addresses.has(topic) }).toEqual({ topic, documented: true });
  });

  it.each(classes.map(([name, cls]) => [name, cls] as const))('%s: same fields, same required fields, same nested types', (name, cls) => {
    const schema = doc.components.schemas[name];
    expect({ name, documented: schema !== undefined }).toEqual({ name, documented: true });
    const { properties, optional, nested } = describeClass(cls);
    expect({ name, fields: Object.keys(schema!.properties ?? {}).sort() }).toEqual({ name, fields: [...properties].sort() });
    const required = [...properties].filter((p) => !optional.has(p)).sort();
    expect({ name, required: [...(schema!.required ?? [])].sort() }).toEqual({ name, required });
    for (const [property, typeName] of nested) {
      expect({ name, property, ref: refName(schema!.properties?.[property]) }).toEqual({ name, property, ref: typeName });
    }
  });
});
