import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

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
 * every invalid field. Unknown properties are rejected so a misspelt field never silently disappears.
 */
export function validateContract<T extends object>(cls: ClassConstructor<T>, plain: unknown): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ContractValidationError(cls.name, [{ field: '$', message: 'must be a JSON object' }]);
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ContractValidationError(cls.name, flatten(errors));
  return instance;
}
