import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@poststelle/telemetry';
import { SignInRequired, UpstreamFailure } from '../auth/page-access';
import { CONSOLE_SETTINGS, type ConsoleSettings, type UpstreamService } from '../console.config';
import { type Session } from '../session/session.store';

export interface Upstream<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** An RFC 9457 problem as the services answer it. */
export interface Problem {
  title?: string;
  detail?: string;
  errors?: { field?: string; message?: string }[];
}

/**
 * Calls the services' HTTP APIs with the signed-in person's access token (never a token of the console's own), so
 * the console sees and does no more than its user may. A token a service no longer accepts (401) ends in sign-in.
 */
@Injectable()
export class ServicesClient {
  private readonly log = new Logger('ServicesClient');

  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  get<T>(session: Session | undefined, service: UpstreamService, path: string): Promise<Upstream<T>> {
    return this.call<T>(session, service, 'GET', path);
  }

  post<T>(session: Session | undefined, service: UpstreamService, path: string, body: unknown, method = 'POST'): Promise<Upstream<T>> {
    return this.call<T>(session, service, method, path, body);
  }

  /** A public endpoint (the services' /health), without a token; undefined when the service does not answer. */
  async open<T>(service: UpstreamService, path: string): Promise<Upstream<T> | undefined> {
    try {
      const res = await fetch(`${this.settings.services[service]}${path}`, {
        signal: AbortSignal.timeout(this.settings.upstreamTimeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: parse(text) as T, headers: res.headers };
    } catch {
      return undefined;
    }
  }

  private async call<T>(
    session: Session | undefined,
    service: UpstreamService,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Upstream<T>> {
    const token = session?.tokens?.accessToken;
    if (!token) throw new SignInRequired('/');
    let res: Response;
    try {
      res = await fetch(`${this.settings.services[service]}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.settings.upstreamTimeoutMs),
      });
    } catch (error) {
      this.log.warn('service does not answer', { service, method, error: String(error) });
      throw new UpstreamFailure(service, undefined, 'no answer');
    }
    const text = await res.text();
    if (res.status === 401) throw new SignInRequired('/');
    if (res.status >= 500) {
      const problem = parse(text) as Problem | undefined;
      throw new UpstreamFailure(service, res.status, problem?.detail ?? problem?.title ?? '');
    }
    return { status: res.status, body: parse(text) as T, headers: res.headers };
  }
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The words of a problem answer (detail, then the field errors). */
export function problemText(body: unknown): string {
  const p = (body ?? {}) as Problem;
  const fields = (p.errors ?? []).map((e) => [e.field, e.message].filter(Boolean).join(': '));
  return [p.detail ?? p.title ?? '', ...fields].filter(Boolean).join(' – ');
}
