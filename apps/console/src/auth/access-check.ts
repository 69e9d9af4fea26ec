import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PERMISSIONS } from '@poststelle/platform';
import { PAGE_ACCESS_KEY, type PageAccess } from './page-access';

/** Default deny, checked before the console listens: every route declares @Page(...) or @OpenPage(), or start-up fails. */
@Injectable()
export class PageAccessCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const missing: string[] = [];
    const known = new Set<string>([...PERMISSIONS, 'signed-in', 'open']);
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const access = this.reflector.getAllAndOverride<PageAccess | undefined>(PAGE_ACCESS_KEY, [handler, type]);
        if (!access || !known.has(access)) missing.push(`${type.name}.${name}`);
      }
    }
    if (missing.length > 0)
      throw new Error(`console routes without a declared access (add @Page(...) or @OpenPage()): ${missing.join(', ')}`);
  }
}
