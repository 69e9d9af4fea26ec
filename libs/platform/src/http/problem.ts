import { type FieldError } from '@poststelle/contracts';

/** RFC 9457 problem details, as every HTTP error body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Field-level validation errors. */
  errors?: FieldError[];
  traceId?: string;
  [extension: string]: unknown;
}

/**
 * Base class for a module's typed errors: each carries a stable code (its problem `type`), an HTTP status and a
 * message that says what was wrong.
 */
export class ServiceException extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServiceException';
  }
}

export const PROBLEM_BASE = 'https://poststelle.example/problems/';
