import { type NextFunction, type Request, type Response } from 'express';
import { type AuthenticatedRequest } from './principal';
import { AuthenticationError, type TokenVerifier } from './token-verifier';

/**
 * The only paths open without a token. A `@Public()` route elsewhere stops start-up (AccessPolicyCheck), so this
 * list and the routes cannot drift apart.
 */
export const PUBLIC_PATHS: readonly string[] = ['/health', '/metrics', '/openapi.yaml'];

/** The bearer token of an Authorization header, or why there is none (401). */
export function bearerToken(header: string | undefined): string {
  if (!header) throw new AuthenticationError('this operation needs a bearer access token (Authorization: Bearer ...)', false);
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (!match) throw new AuthenticationError('the Authorization header is not "Bearer <token>"', true);
  return match[1]!;
}

/**
 * Authenticates every request but the public paths before anything else runs, in particular before a body is read:
 * an anonymous caller gets 401 whatever it sends, and its bytes are neither parsed nor kept (no rejected-input
 * record, no 400/413/415 that would tell it about the route). An unknown path answers 401 too, so its existence is
 * not revealed. The principal is kept on the request; the guard then checks the route's permission.
 */
export function authenticateFirst(verifier: TokenVerifier): (req: Request, res: Response, next: NextFunction) => void {
  const open = new Set(PUBLIC_PATHS);
  return (req: AuthenticatedRequest, res: Response, next: NextFunction) => {
    if (open.has(req.path)) return next();
    let token: string;
    try {
      token = bearerToken(req.headers.authorization);
    } catch (error) {
      return refuse(req, res, next, error);
    }
    verifier.verify(token).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      (error: unknown) => refuse(req, res, next, error),
    );
  };
}

/**
 * Refuses without reading the body: the connection is closed after the answer, so an unread upload neither blocks
 * the socket nor is drained into memory.
 */
function refuse(req: Request, res: Response, next: NextFunction, error: unknown): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (hasBody) res.setHeader('Connection', 'close');
  next(error);
}
