import { parseCookies, serializeCookie } from './cookies';
import { csrfTokenMatches } from './csrf';
import { SessionStore } from './session.store';

describe('session store', () => {
  let now = 1_000_000;
  const store = () => new SessionStore({ idleTimeoutMs: 1000, absoluteTimeoutMs: 5000, maxSessions: 3, now: () => now });

  it('finds a session by its random id and never by a guessed one', () => {
    const s = store();
    const a = s.create();
    expect(a.id).toMatch(/^[\w-]{43}$/);
    expect(a.csrfToken).not.toBe(a.id);
    expect(s.get(a.id)).toBe(a);
    expect(s.get('guess')).toBeUndefined();
    expect(s.get(undefined)).toBeUndefined();
  });

  it('ends a session after the idle timeout and after the absolute timeout even when used', () => {
    const s = store();
    const idle = s.create();
    now += 1001;
    expect(s.get(idle.id)).toBeUndefined();
    const busy = s.create();
    for (let i = 0; i < 6; i += 1) {
      now += 900;
      if (i < 4) expect(s.get(busy.id)).toBe(busy);
    }
    expect(s.get(busy.id)).toBeUndefined();
  });

  it('renews the id on sign-in: the old id no longer works, the user and tokens move over', () => {
    const s = store();
    const before = s.create();
    before.user = { subject: 'clerk-potsdam', roles: ['caseworker'], tenants: ['12054'], permissions: ['case:read'] };
    const after = s.renew(before);
    expect(after.id).not.toBe(before.id);
    expect(after.csrfToken).not.toBe(before.csrfToken);
    expect(s.get(before.id)).toBeUndefined();
    expect(s.get(after.id)?.user?.subject).toBe('clerk-potsdam');
  });

  it('keeps at most maxSessions, dropping the least recently used', () => {
    const s = store();
    const [a, b, c] = [s.create(), s.create(), s.create()];
    s.get(a.id);
    s.create();
    expect(s.get(b.id)).toBeUndefined();
    expect(s.get(a.id)).toBe(a);
    expect(s.get(c.id)).toBe(c);
    expect(s.size).toBe(3);
  });

  it('forgets a destroyed session (sign-out)', () => {
    const s = store();
    const a = s.create();
    s.destroy(a.id);
    expect(s.get(a.id)).toBeUndefined();
  });
});

describe('CSRF token check', () => {
  it('accepts only the exact token', () => {
    expect(csrfTokenMatches('abc123', 'abc123')).toBe(true);
    expect(csrfTokenMatches('abc123', 'abc124')).toBe(false);
    expect(csrfTokenMatches('abc123', 'abc1234')).toBe(false);
    expect(csrfTokenMatches('abc123', '')).toBe(false);
    expect(csrfTokenMatches('abc123', undefined)).toBe(false);
    expect(csrfTokenMatches('abc123', ['abc123'])).toBe(false);
  });
});

describe('cookies', () => {
  it('parses a Cookie header and keeps the first value of a name', () => {
    const c = parseCookies('a=1; console_session=x%2By; a=2; broken=%E0%A4%A');
    expect(c.get('a')).toBe('1');
    expect(c.get('console_session')).toBe('x+y');
    expect(c.has('broken')).toBe(false);
  });

  it('writes HttpOnly, SameSite=Lax and Secure as asked', () => {
    expect(serializeCookie('s', 'v', { httpOnly: true, secure: true })).toBe('s=v; Path=/; SameSite=Lax; HttpOnly; Secure');
    expect(serializeCookie('lang', 'en', { httpOnly: false, secure: false, maxAgeSeconds: 0 })).toBe(
      'lang=en; Path=/; SameSite=Lax; Max-Age=0',
    );
  });
});
