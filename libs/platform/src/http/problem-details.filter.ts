import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type Request, type Response } from 'express';
import { ContractValidationError } from '@poststelle/contracts';
import { Logger, describeError } from '@poststelle/telemetry';
import { bodyParserProblem } from './body-errors';
import { PROBLEM_BASE, ServiceException, type ProblemDetails } from './problem';

const log = new Logger('HttpErrors');

/** Turns every error into an RFC 9457 problem-details response; unknown errors become 500 without internals. */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  const base = { instance, ...(traceId ? { traceId } : {}) };
  if (error instanceof ContractValidationError) {
    return {
      type: `${PROBLEM_BASE}validation-failed`,
      title: 'The request is invalid',
      status: 422,
      detail: `${error.errors.length} field(s) are invalid`,
      errors: error.errors,
      ...base,
    };
  }
  // Errors of the express body parsers (malformed JSON, too large, bad encoding) become typed problems.
  const bodyError = bodyParserProblem(error);
  if (bodyError) return toProblem(bodyError, instance);
  if (error instanceof ServiceException) {
    return {
      type: `${PROBLEM_BASE}${error.code.toLowerCase().replace(/_/g, '-')}`,
      title: error.code,
      status: error.status,
      detail: error.message,
      ...error.extensions,
      ...base,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { type: `${PROBLEM_BASE}http-${status}`, title: error.name, status, detail: error.message, ...base };
  }
  return {
    type: `${PROBLEM_BASE}internal-error`,
    title: 'Internal error',
    status: 500,
    detail: 'an unexpected error occurred; quote the traceId when reporting it',
    ...base,
  };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = toProblem(error, req.originalUrl);
    if (problem.status >= 500)
      log.error('request failed', { ...describeError(error), path: req.route ? String((req.route as { path: string }).path) : undefined });
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
