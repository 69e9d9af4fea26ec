/**
 * A strict stand-in for one of our own ports (a repository, a gateway) in unit tests: only the methods the test sets
 * up exist; calling any other one throws at once, naming the port and the method, so a use-case that reaches for
 * something the test did not expect fails the test instead of getting `undefined` back (immich `test/utils.ts`).
 *
 *   const decisions = strictMock<RoutingDecisionsRepository>('RoutingDecisionsRepository', { upsert: jest.fn() });
 *
 * Methods may also be set afterwards (`decisions.upsert = jest.fn()`).
 */
export function strictMock<T extends object>(name: string, methods: Partial<T> = {}): T {
  return new Proxy({ ...methods } as Record<PropertyKey, unknown>, {
    get(target, key) {
      if (key in target) return target[key];
      // Not a method anyone calls: `await mock`, jest's matchers and inspection probe these.
      if (typeof key === 'symbol' || key === 'then' || key === 'asymmetricMatch' || key === 'toJSON' || key === 'constructor')
        return undefined;
      return () => {
        throw new Error(`${name}.${key}() was called, but the test did not set it up`);
      };
    },
  }) as T;
}
