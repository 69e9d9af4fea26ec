export const PLATFORM_SETTINGS = Symbol('PLATFORM_SETTINGS');
export const BLOB_STORE = Symbol('BLOB_STORE');
