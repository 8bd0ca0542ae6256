export { openSqliteStore } from './open-sqlite-store.js';
export type { SqliteStoreDeps, SqliteStoreOptions } from './open-sqlite-store.js';
