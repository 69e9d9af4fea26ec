import * as oidc from 'openid-client';
import { type ConsoleSettings } from '../console.config';
import { type PendingSignIn, type SessionTokens } from '../session/session.store';

/** The sign-in steps the console needs from the OpenID provider (a port; openid-client behind it). */
export interface SignInGateway {
  /** A new sign-in: state, nonce and PKCE verifier to keep, and where to send the browser. */
  begin(returnTo: string): Promise<{ pending: PendingSignIn; url: string }>;
  /** The callback: checks state, nonce and PKCE, exchanges the code. */
  complete(callbackUrl: URL, pending: PendingSignIn): Promise<SessionTokens>;
  /** New tokens from a refresh token. */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** The provider's end-session URL (undefined if it has none). */
  endSessionUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined>;
}

export const SIGN_IN_GATEWAY = Symbol('SIGN_IN_GATEWAY');

function tokensOf(t: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): SessionTokens {
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    ...(t.id_token ? { idToken: t.id_token } : {}),
    expiresAt: Date.now() + (t.expiresIn() ?? 300) * 1000,
  };
}

/** openid-client 6: authorization code + PKCE (S256) with state and nonce, as a public client. */
export class OpenIdClientGateway implements SignInGateway {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: ConsoleSettings['oidc']) {}

  async begin(returnTo: string): Promise<{ pending: PendingSignIn; url: string }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, returnTo, startedAt: Date.now() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid api',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { pending, url: url.href };
  }

  async complete(callbackUrl: URL, pending: PendingSignIn): Promise<SessionTokens> {
    const tokens = await oidc.authorizationCodeGrant(await this.config(), callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    return tokensOf(tokens);
  }

  async refresh(refreshToken: string): Promise<SessionTokens> {
    return tokensOf(await oidc.refreshTokenGrant(await this.config(), refreshToken));
  }

  async endSessionUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.config();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }

  /** The provider's discovery document, fetched once (again after a failure). Plain http only for a local issuer. */
  private config(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    const internal = this.settings.internalUrl;
    // Server-side calls to the issuer's origin go to the internal address (the browser keeps using the issuer).
    const rewrite: oidc.CustomFetch = (url, options) =>
      fetch(internal && url.startsWith(issuer.origin) ? `${internal}${url.slice(issuer.origin.length)}` : url, options as RequestInit);
    this.configuration ??= oidc
      .discovery(issuer, this.settings.clientId, undefined, oidc.None(), {
        ...(this.settings.issuer.startsWith('http:') || internal?.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: rewrite,
        timeout: 10,
      })
      .then((config) => {
        config[oidc.customFetch] = rewrite;
        return config;
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}
