import { TOKEN_ROLES, type TokenRecord, type TokenRole } from './port.js';

/** A token row as both adapters read it (PostgreSQL's BIGINT times arrive as text). */
export interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly secret_hash: string;
  readonly create_time: number | string;
  readonly last_used_time: number | string | null;
  readonly revoke_time: number | string | null;
}

export function toToken(row: TokenRow): TokenRecord {
  if (!(TOKEN_ROLES as readonly string[]).includes(row.role)) {
    // The schema's CHECK keeps other roles out; a row that has one was written by something else.
    throw new TypeError(`token '${row.id}' has an unknown role '${row.role}'`);
  }
  return {
    id: row.id,
    name: row.name,
    role: row.role as TokenRole,
    secret_hash: row.secret_hash,
    create_time: Number(row.create_time),
    ...(row.last_used_time === null ? {} : { last_used_time: Number(row.last_used_time) }),
    ...(row.revoke_time === null ? {} : { revoke_time: Number(row.revoke_time) }),
  };
}
