import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { permissionsOf } from './permissions';
import { AuthenticationError, TokenVerifier, type AuthSettings } from './token-verifier';

const settings: AuthSettings = {
  issuer: 'https://idp.example/realms/poststelle',
  audience: 'urn:poststelle:api',
  claims: { roles: 'roles', tenants: 'tenants' },
  clockToleranceSeconds: 5,
};

describe('TokenVerifier against a local JWKS', () => {
  let key: KeyLike;
  let otherKey: KeyLike;
  let jwks: Awaited<ReturnType<typeof exportJWK>>[];
  let verifier: TokenVerifier;

  beforeAll(async () => {
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    jwks = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }];
    verifier = new TokenVerifier(settings, createLocalJWKSet({ keys: jwks }));
  });

  const token = (claims: Record<string, unknown> = {}, opts: { key?: KeyLike; exp?: number | string; iss?: string; aud?: string } = {}) =>
    new SignJWT({ roles: ['caseworker'], tenants: ['120540000000'], client_id: 'operator-potsdam', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
      .setSubject('operator-potsdam')
      .setIssuer(opts.iss ?? settings.issuer)
      .setAudience(opts.aud ?? settings.audience)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(opts.key ?? key);

  it('turns a valid token into the principal', async () => {
    await expect(verifier.verify(await token())).resolves.toEqual({
      subject: 'operator-potsdam',
      clientId: 'operator-potsdam',
      roles: ['caseworker'],
      tenants: ['120540000000'],
      channels: [],
      mayAssert: [],
    });
  });

  it.each([
    ['expired', () => token({}, { exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['signed by another key', () => token({}, { key: otherKey }), /not valid/],
    ['of another issuer', () => token({}, { iss: 'https://evil.example' }), /"iss"/],
    ['for another audience', () => token({}, { aud: 'urn:other' }), /"aud"/],
    ['not a JWT', () => Promise.resolve('not.a.jwt'), /not valid/],
  ])('refuses a token %s with 401', async (_name, make, detail) => {
    const error = await verifier.verify(await make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).message).toMatch(detail);
    expect((error as AuthenticationError).challenge).toMatch(/^Bearer realm="poststelle", error="invalid_token"/);
  });

  it('refuses an HS256 token even when its secret is the public key material', async () => {
    const hs = await new SignJWT({ roles: ['platform-admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('x')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k1'));
    await expect(verifier.verify(hs)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('reads roles from a nested claim (Keycloak realm_access.roles)', async () => {
    const keycloak = new TokenVerifier(
      { ...settings, claims: { roles: 'realm_access.roles', tenants: 'tenants' } },
      createLocalJWKSet({ keys: jwks }),
    );
    const principal = await keycloak.verify(await token({ roles: undefined, realm_access: { roles: ['tenant-admin'] } }));
    expect(principal.roles).toEqual(['tenant-admin']);
  });
});

describe('permissionsOf', () => {
  it('grants per role and nothing for unknown roles', () => {
    expect([...permissionsOf(['channel'])].sort()).toEqual(['submission:create', 'submission:read']);
    expect(permissionsOf(['caseworker']).has('config:write')).toBe(false);
    expect(permissionsOf(['tenant-admin']).has('config:write')).toBe(true);
    expect(permissionsOf(['platform-admin']).has('ops:repair')).toBe(true);
    expect(permissionsOf(['root', 'admin']).size).toBe(0);
  });
});
