import { ServiceException } from './problem';

/** The statuses a typed error answers with: the client and server errors of RFC 9110 this platform uses. */
export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

/** Problem-details members a typed error carries besides code, status and message (field errors, ids). */
export type ProblemExtensions = Record<string, unknown>;

/** A module's error: a code of its enum, the one status that code maps to, a message and problem extensions. */
export interface TypedError<C extends string> extends ServiceException {
  readonly code: C;
  /** The same error with more problem extensions (e.g. the id its rejected input was kept under). */
  with(extensions: ProblemExtensions): this;
  /** An error of the same class and code with another message and only the given extensions. */
  restated(message: string, extensions?: ProblemExtensions): this;
}

/** The class `typedErrors` makes: `new X(code, message, extensions?)`, and what it knows of its codes. */
export interface TypedErrorClass<C extends string, B extends ServiceException = ServiceException> {
  new (code: C, message: string, extensions?: ProblemExtensions): B & TypedError<C>;
  readonly prototype: B & TypedError<C>;
  /** The status a code answers with. */
  statusOf(code: C): HttpStatus;
  /** Whether a code (e.g. one read back from the database) is one of this class's. */
  owns(code: string): code is C;
}

/** Any ServiceException subclass taking the base constructor's arguments (a service's common error base). */
export type ServiceExceptionBase<B extends ServiceException> = abstract new (
  code: string,
  status: number,
  message: string,
  extensions?: ProblemExtensions,
) => B;

/**
 * The one way a module declares its errors (ADR 0017): its code enum and an exhaustive status map
 * (`Record<Code, HttpStatus>`: a new code does not compile until it has its status) become an exception class whose
 * instances answer as RFC 9457 problem details (`type` from the code, `status` from the map; ProblemDetailsFilter).
 * `base` makes the class a subclass of a service's common error (intake's channels share one, so the core can tell
 * a refusal of input from any channel).
 *
 * ```ts
 * export enum ArchiveErrorCode { FileNotFound = 'FILE_NOT_FOUND' }
 * const STATUS: Record<ArchiveErrorCode, HttpStatus> = { [ArchiveErrorCode.FileNotFound]: 404 };
 * export const ArchiveException = typedErrors('ArchiveException', STATUS);
 * export type ArchiveException = InstanceType<typeof ArchiveException>;
 * ```
 */
export function typedErrors<C extends string, B extends ServiceException = ServiceException>(
  name: string,
  statuses: Readonly<Record<C, HttpStatus>>,
  base?: ServiceExceptionBase<B>,
): TypedErrorClass<C, B> {
  const Base = (base ?? ServiceException) as unknown as typeof ServiceException;
  const owns = (code: string): code is C => Object.prototype.hasOwnProperty.call(statuses, code);
  class Typed extends Base {
    declare readonly code: C;

    constructor(code: C, message: string, extensions: ProblemExtensions = {}) {
      if (!owns(code)) throw new TypeError(`${name} has no code ${String(code)}`);
      super(code, statuses[code], message, extensions);
      this.name = name;
    }

    static statusOf(code: C): HttpStatus {
      return statuses[code];
    }

    static owns(code: string): code is C {
      return owns(code);
    }

    with(extensions: ProblemExtensions): this {
      return this.restated(this.message, { ...this.extensions, ...extensions });
    }

    restated(message: string, extensions: ProblemExtensions = {}): this {
      return new Typed(this.code, message, extensions) as this;
    }
  }
  Object.defineProperty(Typed, 'name', { value: name });
  return Typed as unknown as TypedErrorClass<C, B>;
}
