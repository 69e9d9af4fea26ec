import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type Request, type Response } from 'express';
import { ContractValidationError } from '@poststelle/contracts';
import { infrastructureOutage } from '@poststelle/messaging';
import { Logger, describeError } from '@poststelle/telemetry';
import { AuthenticationError } from '../auth/token-verifier';
import { bodyParserProblem } from './body-errors';
import { PROBLEM_BASE, ServiceException, type ProblemDetails } from './problem';

const log = new Logger('HttpErrors');
/** `Retry-After` of a 503 during an outage of the database or broker. */
const RETRY_AFTER_SECONDS = 5;

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
  // The database or broker is unreachable (a restart, a failover): nothing was taken; the client should try again.
  const outage = infrastructureOutage(error);
  if (outage) {
    return {
      type: `${PROBLEM_BASE}service-unavailable`,
      title: 'Service unavailable',
      status: 503,
      detail: `the ${outage === 'database' ? 'database' : 'message broker'} is not reachable right now; nothing was accepted, try again`,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      ...base,
    };
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
    const path = req.route ? String((req.route as { path: string }).path) : undefined;
    if (problem.status === 503) log.warn('request refused: infrastructure unavailable', { ...describeError(error), path });
    else if (problem.status >= 500) log.error('request failed', { ...describeError(error), path });
    if (res.headersSent) return;
    if (problem.status === 503 && typeof problem['retryAfterSeconds'] === 'number')
      res.setHeader('Retry-After', String(problem['retryAfterSeconds']));
    if (error instanceof AuthenticationError) res.setHeader('WWW-Authenticate', error.challenge);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
