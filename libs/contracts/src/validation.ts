import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { ValidationTypes, getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

export interface FieldError {
  /** JSON path of the offending field, e.g. `applicant.address.postalCode` or `attachments[0].mediaType`. */
  field: string;
  message: string;
}

/** Thrown by the single validation point of every inbound message or request. */
export class ContractValidationError extends Error {
  constructor(
    readonly contract: string,
    readonly errors: FieldError[],
  ) {
    super(`${contract} is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'ContractValidationError';
  }
}

/**
 * How deeply JSON input may nest. Real submissions (including form data) stay far below; the limit keeps a hostile
 * body (thousands of nested arrays) from exhausting the stack of the transformer, the validator or the database.
 */
export const MAX_JSON_DEPTH = 64;
/** At most this many structural findings are reported, so a hostile body cannot produce a huge error list. */
const MAX_FINDINGS = 20;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A path segment for a key that is safe to store and log: unusual keys are quoted with JSON escapes (NUL, surrogates). */
function segment(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (PLAIN_KEY.test(key)) return parent ? `${parent}.${key}` : key;
  const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
  // JSON.stringify escapes NUL and lone surrogates, so the path itself is always storable.
  return `${parent}[${JSON.stringify(shown)}]`;
}

/** What is wrong with a string itself, whatever field it is in: characters no store or UTF-8 encoding can hold. */
function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (not representable in UTF-8)';
  return undefined;
}

/**
 * Structural checks every JSON input gets before its contract is applied, without recursion: nesting depth, NUL
 * characters and lone surrogates in any key or string. These would otherwise surface as a stack overflow, a
 * `URIError` in a validator or a database error, i.e. as a server fault instead of the client's.
 */
export function jsonStructureErrors(plain: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: plain, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_FINDINGS) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) errors.push({ field: path || '$', message: problem });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      errors.push({ field: path || '$', message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v] as [number, unknown])
      : Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i] as [string | number, unknown];
      const childPath = segment(path, key);
      const keyProblem = typeof key === 'string' ? stringProblem(key) : undefined;
      if (keyProblem) errors.push({ field: childPath, message: `property name ${keyProblem}` });
      else stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return errors;
}

/**
 * A nested contract object given as a JSON array: class-validator's `@ValidateNested()` validates the elements of an
 * array and so lets `[]` through where one object is required. Every non-`each` nested property must hold an object.
 */
function arraysForObjects(instance: object, path: string, depth = 0): FieldError[] {
  if (depth > MAX_JSON_DEPTH) return [];
  const nested = getMetadataStorage()
    .getTargetValidationMetadatas(instance.constructor, '', true, false)
    .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION);
  const errors: FieldError[] = [];
  for (const m of nested) {
    const value = (instance as Record<string, unknown>)[m.propertyName];
    const field = segment(path, m.propertyName);
    if (!m.each && Array.isArray(value)) {
      errors.push({ field, message: 'must be a JSON object, not an array' });
      continue;
    }
    const children: (readonly [string, unknown])[] =
      m.each && Array.isArray(value) ? value.map((v: unknown, i) => [segment(field, i), v] as const) : [[field, value] as const];
    for (const [childPath, child] of children) {
      if (child !== null && typeof child === 'object' && !Array.isArray(child))
        errors.push(...arraysForObjects(child, childPath, depth + 1));
    }
  }
  return errors;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : `${parent ? '.' : ''}${error.property}`;
    const field = `${parent}${segment}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The one validation point: plain input (parsed JSON) → validated contract instance, or a typed error listing
 * every invalid field. Unknown properties are rejected so a misspelt field never silently disappears; hostile
 * structure (too deep, NUL, lone surrogates, an array where an object belongs) is refused as the client's error.
 */
export function validateContract<T extends object>(cls: ClassConstructor<T>, plain: unknown): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ContractValidationError(cls.name, [{ field: '$', message: 'must be a JSON object' }]);
  }
  const structural = jsonStructureErrors(plain);
  if (structural.length > 0) throw new ContractValidationError(cls.name, structural);
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const shapes = arraysForObjects(instance, '');
  if (shapes.length > 0) throw new ContractValidationError(cls.name, shapes);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ContractValidationError(cls.name, flatten(errors));
  return instance;
}
