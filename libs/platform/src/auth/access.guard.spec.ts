import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule, NestFactory } from '@nestjs/core';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { AccessGuard } from './access.guard';
import { AccessPolicyCheck } from './access-policy.check';
import { CurrentPrincipal, Permission, Public, type Principal } from './principal';
import { TokenVerifier, type AuthSettings } from './token-verifier';

const settings: AuthSettings = {
  issuer: 'https://idp.example',
  audience: 'urn:poststelle:api',
  claims: { roles: 'roles', tenants: 'tenants' },
  clockToleranceSeconds: 5,
};

@Controller()
class OpenAndClosedController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Permission('case:read')
  @Get('cases')
  cases(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject, tenants: principal.tenants };
  }

  @Permission('config:write')
  @Post('admin')
  admin() {
    return { changed: true };
  }
}

@Controller()
class ForgottenController {
  @Get('forgotten')
  forgotten() {
    return 'nobody declared who may call this';
  }
}

function appModule(verifier: TokenVerifier, controllers: (new (...args: never[]) => unknown)[]) {
  @Module({
    imports: [DiscoveryModule],
    controllers,
    providers: [
      { provide: TokenVerifier, useValue: verifier },
      { provide: APP_GUARD, useClass: AccessGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      AccessPolicyCheck,
    ],
  })
  class AppModule {}
  return AppModule;
}

describe('AccessGuard and the start-up check', () => {
  let key: KeyLike;
  let verifier: TokenVerifier;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    verifier = new TokenVerifier(settings, createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256' }] }));
    app = await NestFactory.create(appModule(verifier, [OpenAndClosedController]), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const token = (roles: string[]) =>
    new SignJWT({ roles, tenants: ['120540000000'], client_id: 'c' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setSubject('jane')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('5m')
      .sign(key);

  it('lets a public route through without a token', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('refuses a call without a token: 401 problem with a Bearer challenge', async () => {
    const res = await fetch(`${base}/cases`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="poststelle"');
    expect(await res.json()).toMatchObject({ status: 401, type: 'https://poststelle.example/problems/unauthenticated' });
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await fetch(`${base}/cases`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('hands the principal to the route when the role grants the permission', async () => {
    const res = await fetch(`${base}/cases`, { headers: { authorization: `Bearer ${await token(['caseworker'])}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'jane', tenants: ['120540000000'] });
  });

  it('answers 403 naming the permission when no role grants it', async () => {
    const res = await fetch(`${base}/admin`, { method: 'POST', headers: { authorization: `Bearer ${await token(['caseworker'])}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 403, requiredPermission: 'config:write' });
    const admin = await fetch(`${base}/admin`, { method: 'POST', headers: { authorization: `Bearer ${await token(['tenant-admin'])}` } });
    expect(admin.status).toBe(201);
  });

  it('does not start a service with a route that declares no permission', async () => {
    const forgetful = await NestFactory.create(appModule(verifier, [OpenAndClosedController, ForgottenController]), { logger: false });
    // init() runs before listen() binds the port (bootstrapService calls listen, which initialises first).
    await expect(forgetful.init()).rejects.toThrow(
      'routes without a declared permission (add @Permission(...) or @Public()): ForgottenController.forgotten',
    );
    await forgetful.close().catch(() => undefined);
  });
});
