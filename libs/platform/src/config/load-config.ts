import { readFileSync } from 'node:fs';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
}

/** Secrets that may be given as a file (`<NAME>_FILE`, e.g. a mounted Docker/Kubernetes secret) instead of a value. */
export const SECRET_FILE_VARIABLES = ['KAFKA_SASL_PASSWORD', 'DATABASE_URL', 'PAYMENT_CREDENTIALS_KEY'] as const;

/**
 * Resolves `<NAME>_FILE` into `<NAME>` (the file's content, one trailing line break removed), so no secret has to
 * appear on a command line or in the environment listing of a process. Both set: a configuration error.
 */
function withSecretFiles(
  plain: Record<string, string | undefined>,
  read: (path: string) => string,
): [Record<string, string | undefined>, string[]] {
  const out = { ...plain };
  const problems: string[] = [];
  for (const name of SECRET_FILE_VARIABLES) {
    const file = plain[`${name}_FILE`];
    if (!file) continue;
    if (plain[name]) {
      problems.push(`${name}: give either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      out[name] = read(file).replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return [out, problems];
}

/**
 * Validates the environment once at start-up against a class-validator class and fails with every invalid
 * variable listed. Nothing else in a service reads `process.env`.
 */
export function loadConfig<T extends object>(cls: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const [plain, fileProblems] = withSecretFiles(given, (path) => readFileSync(path, 'utf8'));
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true });
  const problems = [...fileProblems, ...describe(errors)];
  if (problems.length > 0) throw new ConfigError(problems);
  return instance;
}
