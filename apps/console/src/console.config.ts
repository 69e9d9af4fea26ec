import { IsIn, IsInt, IsIP, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { loadConfig } from '@poststelle/platform';
import { type LogLevel } from '@poststelle/telemetry';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** The console's environment (see README "Operator console" and docs/operations.md). */
export class ConsoleEnv {
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';
  /** Port of the console (default 8086); HTTP_PORT is read when CONSOLE_PORT is not set. */
  @IsOptional() @IsInt() @Min(0) @Max(65535) CONSOLE_PORT?: number;
  @IsOptional() @IsInt() @Min(0) @Max(65535) HTTP_PORT?: number;
  @IsIP(undefined, { message: 'HTTP_HOST must be an IPv4 or IPv6 address such as 0.0.0.0 or 127.0.0.1' }) HTTP_HOST: string = '0.0.0.0';
  /** The address people open (redirect URI `<CONSOLE_PUBLIC_URL>/callback`); https makes the session cookie Secure. */
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'CONSOLE_PUBLIC_URL must be the URL people open' }) CONSOLE_PUBLIC_URL?: string;
  @IsUrl(URL_OPTIONS, { message: 'OIDC_ISSUER must be the issuer URL' }) OIDC_ISSUER!: string;
  /** The public client people sign in at (authorization code + PKCE, no secret). */
  @IsString() @Matches(/\S/) OIDC_CONSOLE_CLIENT_ID: string = 'console';
  @IsString() @Matches(/\S/) OIDC_AUDIENCE: string = 'urn:poststelle:api';
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'OIDC_JWKS_URI must be a URL' }) OIDC_JWKS_URI?: string;
  /**
   * Where the console itself reaches the provider when that differs from the issuer the browser sees (containers:
   * issuer http://localhost:8090, reached as http://oidc:8090). Requests to the issuer's origin go there instead.
   */
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'OIDC_INTERNAL_URL must be a URL' }) OIDC_INTERNAL_URL?: string;
  @IsString() @Matches(/^[\w:-]+(\.[\w:-]+)*$/) OIDC_ROLES_CLAIM: string = 'roles';
  @IsString() @Matches(/^[\w:-]+(\.[\w:-]+)*$/) OIDC_TENANTS_CLAIM: string = 'tenants';
  @IsInt() @Min(0) @Max(300) OIDC_CLOCK_TOLERANCE_SECONDS: number = 30;
  @IsUrl(URL_OPTIONS) INTAKE_URL: string = 'http://127.0.0.1:8081';
  @IsUrl(URL_OPTIONS) ROUTING_URL: string = 'http://127.0.0.1:8082';
  @IsUrl(URL_OPTIONS) PAYMENT_URL: string = 'http://127.0.0.1:8083';
  @IsUrl(URL_OPTIONS) ERECHNUNG_URL: string = 'http://127.0.0.1:8084';
  @IsUrl(URL_OPTIONS) ARCHIVE_URL: string = 'http://127.0.0.1:8085';
  /** Grafana, for the links on the health page (none when unset). */
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'CONSOLE_GRAFANA_URL must be a URL' }) CONSOLE_GRAFANA_URL?: string;
  @IsInt() @Min(1) @Max(24 * 60) CONSOLE_SESSION_IDLE_MINUTES: number = 30;
  @IsInt() @Min(1) @Max(24) CONSOLE_SESSION_MAX_HOURS: number = 10;
  @IsInt() @Min(10) @Max(1_000_000) CONSOLE_MAX_SESSIONS: number = 10_000;
  @IsInt() @Min(100) @Max(120_000) CONSOLE_UPSTREAM_TIMEOUT_MS: number = 10_000;
  @IsIn(['de', 'en']) CONSOLE_DEFAULT_LANGUAGE: 'de' | 'en' = 'de';
  @IsIn(['debug', 'info', 'warn', 'error']) LOG_LEVEL: LogLevel = 'info';
}

export const SERVICE_NAMES = ['intake', 'routing', 'payment', 'erechnung', 'archive'] as const;
export type UpstreamService = (typeof SERVICE_NAMES)[number];

export interface ConsoleSettings {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number };
  publicUrl: string;
  /** Secure cookies: the console is reached over https. */
  secureCookies: boolean;
  oidc: {
    issuer: string;
    clientId: string;
    redirectUri: string;
    audience: string;
    jwksUri: string | undefined;
    internalUrl: string | undefined;
    claims: { roles: string; tenants: string };
    clockToleranceSeconds: number;
  };
  services: Record<UpstreamService, string>;
  grafanaUrl: string | undefined;
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number; maxSessions: number };
  upstreamTimeoutMs: number;
  defaultLanguage: 'de' | 'en';
  logLevel: LogLevel;
}

export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');

const trim = (url: string) => url.replace(/\/+$/, '');

export function loadConsoleSettings(env: NodeJS.ProcessEnv = process.env): ConsoleSettings {
  const e = loadConfig(ConsoleEnv, env);
  const port = e.CONSOLE_PORT ?? e.HTTP_PORT ?? 8086;
  const publicUrl = trim(e.CONSOLE_PUBLIC_URL ?? `http://127.0.0.1:${port}`);
  return {
    env: e.NODE_ENV,
    http: { host: e.HTTP_HOST, port },
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    oidc: {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CONSOLE_CLIENT_ID,
      redirectUri: `${publicUrl}/callback`,
      audience: e.OIDC_AUDIENCE,
      jwksUri: e.OIDC_JWKS_URI,
      internalUrl: e.OIDC_INTERNAL_URL ? trim(e.OIDC_INTERNAL_URL) : undefined,
      claims: { roles: e.OIDC_ROLES_CLAIM, tenants: e.OIDC_TENANTS_CLAIM },
      clockToleranceSeconds: e.OIDC_CLOCK_TOLERANCE_SECONDS,
    },
    services: {
      intake: trim(e.INTAKE_URL),
      routing: trim(e.ROUTING_URL),
      payment: trim(e.PAYMENT_URL),
      erechnung: trim(e.ERECHNUNG_URL),
      archive: trim(e.ARCHIVE_URL),
    },
    grafanaUrl: e.CONSOLE_GRAFANA_URL ? trim(e.CONSOLE_GRAFANA_URL) : undefined,
    session: {
      idleTimeoutMs: e.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: e.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
      maxSessions: e.CONSOLE_MAX_SESSIONS,
    },
    upstreamTimeoutMs: e.CONSOLE_UPSTREAM_TIMEOUT_MS,
    defaultLanguage: e.CONSOLE_DEFAULT_LANGUAGE,
    logLevel: e.LOG_LEVEL,
  };
}
