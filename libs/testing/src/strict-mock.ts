/**
 * A strict mock of one of our own ports: only the methods given exist; any other call fails the test at once
 * (immich `test/utils.ts`). Pass jest.fn()s to assert calls.
 */
export function strictMock<T extends object>(methods: Partial<{ [K in keyof T]: T[K] }>, name = 'mock'): T {
  return new Proxy(methods as T, {
    get(target, property) {
      if (property in target) return (target as Record<PropertyKey, unknown>)[property];
      // Not a thenable, not inspected by jest's matchers.
      if (property === 'then' || typeof property === 'symbol' || property === 'asymmetricMatch' || property === 'toJSON') return undefined;
      throw new Error(`${name}.${String(property)} was called but not set up in this test`);
    },
  });
}
