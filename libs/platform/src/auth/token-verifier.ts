import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ServiceException } from '../http/problem';
import { type Principal } from './principal';

export interface AuthSettings {
  /** `iss` the tokens must carry; its discovery document names the JWKS. */
  issuer: string;
  /** `aud` the tokens must carry (the API resource). */
  audience: string;
  /** JWKS URL; default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Claim names (dotted paths into nested claims, e.g. `realm_access.roles` for Keycloak). */
  claims: { roles: string; tenants: string };
  clockToleranceSeconds: number;
}

/** Asymmetric algorithms only: a token signed with a shared secret (HS*) or `none` is never accepted. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/** 401: no token, or one that is not valid here. The challenge goes into `WWW-Authenticate`. */
export class AuthenticationError extends ServiceException {
  readonly challenge: string;
  constructor(detail: string, tokenGiven: boolean) {
    super('UNAUTHENTICATED', 401, detail);
    const error = tokenGiven ? `, error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"` : '';
    this.challenge = `Bearer realm="poststelle"${error}`;
  }
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Verifies bearer tokens (signature against the issuer's JWKS, issuer, audience, expiry) into a Principal. */
export class TokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  /** `keys`: for tests, a local JWKS; otherwise the issuer's remote JWKS (fetched on first use, then cached). */
  constructor(
    private readonly settings: AuthSettings,
    keys?: JWTVerifyGetKey,
  ) {
    if (keys) this.keys = Promise.resolve(keys);
  }

  async verify(token: string): Promise<Principal> {
    const keys = await this.jwks();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('the access token has expired', true);
      if (error instanceof errors.JWKSTimeout) throw identityProviderUnavailable();
      if (error instanceof errors.JWTClaimValidationFailed)
        throw new AuthenticationError(`the access token's "${error.claim}" claim is not accepted here`, true);
      throw new AuthenticationError('the access token is not valid (signature, format or key)', true);
    }
    return {
      subject: payload.sub!,
      clientId: strings(payload['client_id'] ?? payload['azp'])[0],
      roles: strings(claimAt(payload, this.settings.claims.roles)),
      tenants: strings(claimAt(payload, this.settings.claims.tenants)),
      channels: strings(payload['channels']),
      mayAssert: strings(payload['mayAssert']),
    };
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discoverJwks().catch((error: unknown) => {
      this.keys = undefined; // try again on the next request
      throw error;
    });
    return this.keys;
  }

  private async discoverJwks(): Promise<JWTVerifyGetKey> {
    let uri = this.settings.jwksUri;
    if (!uri) {
      const discovery = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      try {
        const res = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        uri = ((await res.json()) as { jwks_uri?: string }).jwks_uri;
      } catch {
        throw identityProviderUnavailable();
      }
      if (!uri) throw identityProviderUnavailable();
    }
    return createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30000 });
  }
}

function identityProviderUnavailable(): ServiceException {
  return new ServiceException(
    'IDENTITY_PROVIDER_UNAVAILABLE',
    503,
    'the identity provider does not answer, so the access token cannot be checked; try again',
    { retryAfterSeconds: 5 },
  );
}
