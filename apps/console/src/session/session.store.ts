import { randomBytes } from 'node:crypto';

/** The person signed in, from their verified access token. */
export interface SessionUser {
  subject: string;
  roles: string[];
  tenants: string[];
  permissions: string[];
}

/** The tokens of the signed-in person: kept here, on the server; the browser never sees them. */
export interface SessionTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A sign-in in progress: what the callback must find again (state, nonce, PKCE verifier). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

export interface Session {
  readonly id: string;
  /** Anti-forgery token of every form of this session (synchroniser token). */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  user?: SessionUser;
  tokens?: SessionTokens;
  pending?: PendingSignIn;
}

export interface SessionStoreOptions {
  /** A session unused for this long ends. */
  idleTimeoutMs: number;
  /** A session ends this long after it began, used or not. */
  absoluteTimeoutMs: number;
  /** At most this many sessions; the least recently used go first. */
  maxSessions: number;
  now?: () => number;
}

/**
 * Sessions in memory (ADR 0021): a restart of the console signs everybody out, and two console instances do not
 * share sessions (run one, or pin users to an instance). Ids are 256-bit random values; nothing of a session is
 * derived from anything the browser can choose.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  create(): Session {
    this.sweep();
    const now = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return session;
  }

  /** The live session of this id (and marks it used), or undefined if unknown or timed out. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = this.now();
    // Re-insert: the map's order is then least recently used first.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /**
   * A new session carrying the given one's state under a new id (after sign-in: a session id known before sign-in
   * must not be the signed-in one). The old id stops working.
   */
  renew(old: Session): Session {
    this.sessions.delete(old.id);
    const fresh = this.create();
    if (old.user) fresh.user = old.user;
    if (old.tokens) fresh.tokens = old.tokens;
    return fresh;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: Session): boolean {
    const now = this.now();
    return now - s.lastSeenAt > this.options.idleTimeoutMs || now - s.createdAt > this.options.absoluteTimeoutMs;
  }

  private sweep(): void {
    for (const [id, s] of this.sessions) if (this.expired(s)) this.sessions.delete(id);
  }
}
