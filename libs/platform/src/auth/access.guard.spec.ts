import express from 'express';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule, NestFactory } from '@nestjs/core';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { AccessGuard } from './access.guard';
import { AccessPolicyCheck } from './access-policy.check';
import { authenticateFirst } from './authenticate.middleware';
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

@Controller('v1')
class SneakyPublicController {
  @Public()
  @Get('cases-export')
  export() {
    return 'public, but not one of the open paths';
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

  it('does not start a service whose public route is not one of the open paths', async () => {
    const sneaky = await NestFactory.create(appModule(verifier, [OpenAndClosedController, SneakyPublicController]), { logger: false });
    await expect(sneaky.init()).rejects.toThrow('SneakyPublicController.export (public, but not one of /health, /metrics, /openapi.yaml)');
    await sneaky.close().catch(() => undefined);
  });

  describe('authentication before the body is read (as bootstrapService wires it)', () => {
    let early: INestApplication;
    let url: string;

    beforeAll(async () => {
      early = await NestFactory.create(appModule(verifier, [OpenAndClosedController]), { logger: false, bodyParser: false });
      early.use(authenticateFirst(verifier));
      early.use(express.json({ limit: 16 }));
      await early.listen(0, '127.0.0.1');
      url = await early.getUrl();
    });

    afterAll(async () => {
      await early?.close();
    });

    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/admin`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    it('answers an anonymous request with a malformed or oversized body 401, not 400 or 413', async () => {
      for (const body of ['{"not json', JSON.stringify({ far: 'x'.repeat(1000) })]) {
        const res = await post(body);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="poststelle"');
        expect(await res.json()).toMatchObject({ status: 401, type: 'https://poststelle.example/problems/unauthenticated' });
      }
    });

    it('reads the body once the caller is known: the same malformed body with a token is a 400', async () => {
      const res = await post('{"not json', { authorization: `Bearer ${await token(['tenant-admin'])}` });
      expect(res.status).toBe(400);
    });

    it('answers 401 on an unknown path without a token, 404 with one, so paths are not revealed', async () => {
      expect((await fetch(`${url}/v1/secret-admin`)).status).toBe(401);
      const res = await fetch(`${url}/v1/secret-admin`, { headers: { authorization: `Bearer ${await token(['caseworker'])}` } });
      expect(res.status).toBe(404);
    });

    it('keeps the open paths open and refuses a wrongly signed token before the body', async () => {
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const other = await generateKeyPair('ES256');
      const forged = await new SignJWT({ roles: ['platform-admin'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setSubject('mallory')
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setExpirationTime('5m')
        .sign(other.privateKey);
      const res = await post('{"not json', { authorization: `Bearer ${forged}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
  });
});
