export * from './channel-trust';
export * from './read-scope';
