import { SetMetadata } from '@nestjs/common';
import { type PermissionName } from '@poststelle/platform';

export const PAGE_ACCESS_KEY = 'console:page-access';

/** What a console route requires: a permission of the signed-in person, just a session, or nothing. */
export type PageAccess = PermissionName | 'signed-in' | 'open';

/**
 * The permission a console page or action requires (the same names the services use, ADR 0015). A route without
 * `@Page(...)` or `@OpenPage()` stops start-up (default deny).
 */
export const Page = (access: PermissionName | 'signed-in'): MethodDecorator & ClassDecorator => SetMetadata(PAGE_ACCESS_KEY, access);

/** Reachable without a session: sign-in, callback, language switch, health, metrics, the style sheet. */
export const OpenPage = (): MethodDecorator & ClassDecorator => SetMetadata(PAGE_ACCESS_KEY, 'open');

/** Thrown when a page needs a session and there is none (or its token is no longer accepted): back to sign-in. */
export class SignInRequired extends Error {
  constructor(readonly returnTo: string) {
    super('sign-in required');
  }
}

/** 403: the signed-in person lacks the permission (or a form came without this session's anti-forgery token). */
export class PageForbidden extends Error {
  constructor(
    readonly reason: 'permission' | 'csrf',
    readonly permission?: string,
  ) {
    super(reason === 'csrf' ? 'form without a valid anti-forgery token' : `needs the permission ${permission}`);
  }
}

/** 404 of a console page (e.g. a case the person may not see answers like one that does not exist). */
export class PageNotFound extends Error {
  constructor() {
    super('not found');
  }
}

/** A service did not answer, or answered with an error the page cannot show in place. */
export class UpstreamFailure extends Error {
  constructor(
    readonly service: string,
    readonly status: number | undefined,
    readonly detail: string,
  ) {
    super(`${service}: ${status ?? 'no answer'} ${detail}`);
  }
}
