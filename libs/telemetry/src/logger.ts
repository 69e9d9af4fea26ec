import { trace } from '@opentelemetry/api';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Fields that may carry personal data. Logs must never contain them: the value is replaced, so a careless call
 * cannot leak an applicant's name or address into the log pipeline.
 */
const PERSONAL_FIELDS = new Set([
  'applicant',
  'givenName',
  'familyName',
  'name',
  'email',
  'address',
  'street',
  'postalCode',
  'city',
  'dateOfBirth',
  'formData',
  'content',
  'iban',
  'phone',
  'replyChannel',
  'body',
]);

export type LogFields = Record<string, unknown>;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, PERSONAL_FIELDS.has(k) ? '[redacted]' : scrub(v, depth + 1)]),
  );
}

let globalLevel: LogLevel = 'info';
let serviceName = 'poststelle';

export function configureLogging(service: string, level: LogLevel): void {
  serviceName = service;
  globalLevel = level;
}

/** Structured JSON logs (one line each) with the active trace and span id. */
export class Logger {
  constructor(private readonly context: string) {}

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[globalLevel]) return;
    const span = trace.getActiveSpan()?.spanContext();
    const line = {
      time: new Date().toISOString(),
      level,
      service: serviceName,
      context: this.context,
      msg,
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      ...(fields ? (scrub(fields) as LogFields) : {}),
    };
    const out = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
    out.write(`${JSON.stringify(line)}\n`);
  }
}

/** Describes an unknown error without personal data: name, message and code only. */
export function describeError(error: unknown): { error: string; errorName: string } {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error), errorName: 'UnknownError' };
}
