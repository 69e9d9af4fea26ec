import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Request } from 'express';
import { type PermissionName } from './permissions';

/** Who is calling: from a verified access token. */
export interface Principal {
  /** `sub`: the person or, for client-credentials tokens, the client. */
  subject: string;
  /** `client_id` (or `azp`) of the client the token was issued to. */
  clientId: string | undefined;
  roles: string[];
  /** ARS prefixes of the tenants the principal acts for. */
  tenants: string[];
  /** Channel clients: the channel kinds they may submit for. */
  channels: string[];
  /** Channel clients: what they may assert about an applicant (e.g. `eid`). */
  mayAssert: string[];
}

export const PERMISSION_KEY = 'poststelle:permission';
export const PUBLIC_KEY = 'poststelle:public';

/** The permission a route requires (default deny: a route without one, and not @Public(), stops start-up). */
export const Permission = (permission: PermissionName): MethodDecorator & ClassDecorator => SetMetadata(PERMISSION_KEY, permission);

/** A route open to anyone, without a token (only /health, /metrics and /openapi.yaml). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The caller of a route that requires a permission. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
