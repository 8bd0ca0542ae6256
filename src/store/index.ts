export * from './port.js';
export { openSqliteStore } from './sqlite/index.js';
export type { SqliteStoreDeps, SqliteStoreOptions } from './sqlite/index.js';
