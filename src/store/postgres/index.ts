export { openPostgresStore } from './open-postgres-store.js';
export type { PostgresStoreDeps, PostgresStoreOptions } from './open-postgres-store.js';
