import { ConflictError } from '../../model/errors.js';
import type { NewToken, TokenRecord } from '../port.js';
import { toToken, type TokenRow } from '../records-tokens.js';
import type { TxContext } from './tx-context.js';

export function insertToken(ctx: TxContext, token: NewToken): TokenRecord {
  const { changes } = ctx.stmts.insertToken.run({ ...token });
  if (changes === 0) throw new ConflictError(`a token with id '${token.id}' exists already`);
  return { ...token };
}

export function getToken(ctx: TxContext, id: string): TokenRecord | undefined {
  const row = ctx.stmts.getToken.get(id) as TokenRow | undefined;
  return row && toToken(row);
}

export function listTokens(ctx: TxContext): TokenRecord[] {
  return (ctx.stmts.listTokens.all() as TokenRow[]).map(toToken);
}

export function revokeToken(ctx: TxContext, id: string, now: number): boolean {
  return ctx.stmts.revokeToken.run(now, id).changes > 0;
}

export function touchToken(ctx: TxContext, id: string, now: number): void {
  ctx.stmts.touchToken.run(now, id, now);
}
