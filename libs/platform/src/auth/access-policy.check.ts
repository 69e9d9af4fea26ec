import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_PATHS } from './authenticate.middleware';
import { PERMISSIONS, type PermissionName } from './permissions';
import { PERMISSION_KEY, PUBLIC_KEY } from './principal';

function routePath(...parts: unknown[]): string {
  const segments = parts.flatMap((p) => (typeof p === 'string' ? p.split('/') : [])).filter(Boolean);
  return `/${segments.join('/')}`;
}

/** Routes that declare neither a permission nor @Public(), or an unknown permission: `Class.method` each. */
export function undeclaredRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): string[] {
  const missing: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!type?.prototype) continue;
    const prototype = type.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue; // not a route
      const targets = [handler, type];
      if (reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
        // Open only where the early authentication lets requests through without a token.
        if (!PUBLIC_PATHS.includes(routePath(Reflect.getMetadata(PATH_METADATA, type), Reflect.getMetadata(PATH_METADATA, handler))))
          missing.push(`${type.name}.${name} (public, but not one of ${PUBLIC_PATHS.join(', ')})`);
        continue;
      }
      const permission = reflector.getAllAndOverride<PermissionName | undefined>(PERMISSION_KEY, targets);
      if (!permission || !PERMISSIONS.includes(permission)) missing.push(`${type.name}.${name}`);
    }
  }
  return missing;
}

/** Default deny, checked before the service listens: every route declares its permission, or start-up fails. */
@Injectable()
export class AccessPolicyCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const missing = undeclaredRoutes(this.discovery, this.scanner, this.reflector);
    if (missing.length > 0) {
      throw new Error(`routes without a declared permission (add @Permission(...) or @Public()): ${missing.join(', ')}`);
    }
  }
}
