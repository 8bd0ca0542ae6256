import { ConflictError } from '../../model/errors.js';
import type { NewToken, TokenRecord } from '../port.js';
import { toToken, type TokenRow } from '../records-tokens.js';
import type { Query } from './query.js';

// API tokens on PostgreSQL: plain rows, no locks (port/tokens.ts). A clash on the id is answered by ON CONFLICT, so
// it does not abort the caller's transaction.

export async function insertToken(q: Query, token: NewToken): Promise<TokenRecord> {
  const { id, name, role, secret_hash, create_time } = token;
  const { count } = await q('insertToken', [id, name, role, secret_hash, create_time]);
  if (count === 0) throw new ConflictError(`a token with id '${id}' exists already`);
  return { ...token };
}

export async function getToken(q: Query, id: string): Promise<TokenRecord | undefined> {
  const [row] = (await q<TokenRow & Record<string, unknown>>('getToken', [id])).rows;
  return row && toToken(row);
}

export async function listTokens(q: Query): Promise<TokenRecord[]> {
  return (await q<TokenRow & Record<string, unknown>>('listTokens', [])).rows.map(toToken);
}

export async function revokeToken(q: Query, id: string, now: number): Promise<boolean> {
  return (await q('revokeToken', [now, id])).count > 0;
}

export async function touchToken(q: Query, id: string, now: number): Promise<void> {
  await q('touchToken', [now, id]);
}
