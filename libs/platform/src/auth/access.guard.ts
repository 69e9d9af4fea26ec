import { type CanActivate, type ExecutionContext, Injectable, Inject } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ServiceException } from '../http/problem';
import { permissionsOf, type PermissionName } from './permissions';
import { PERMISSION_KEY, PUBLIC_KEY, type AuthenticatedRequest } from './principal';
import { bearerToken } from './authenticate.middleware';
import { TokenVerifier } from './token-verifier';

/**
 * The one global guard: a @Public() route passes; every other route needs a valid bearer token (401) whose roles
 * grant the route's permission (403). A route without a declared permission is refused (and stops start-up, see
 * AccessPolicyCheck).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<PermissionName | undefined>(PERMISSION_KEY, targets);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Normally authenticated already, before the body was read (authenticateFirst); verified here otherwise.
    const principal = req.principal ?? (await this.verifier.verify(bearerToken(req.headers.authorization)));
    req.principal = principal;
    if (!permission) throw new ServiceException('FORBIDDEN', 403, 'this operation declares no permission, so nobody may call it');
    if (!permissionsOf(principal.roles).has(permission)) {
      throw new ServiceException('FORBIDDEN', 403, `this operation needs the permission "${permission}", which none of your roles grants`, {
        requiredPermission: permission,
      });
    }
    return true;
  }
}
