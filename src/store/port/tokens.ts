/**
 * API tokens: who may call the HTTP API and with which role. Only a hash of each token's secret is stored (the
 * secret is shown once, when the token is made). Nothing here locks: tokens are rows of their own, created once,
 * revoked once, and read on every request.
 */
export interface TokenTx {
  /** Stores a new token; `id` is unique (a clash raises a ConflictError and nothing is written). */
  insertToken(token: NewToken): Promise<TokenRecord>;
  /** The token with this id, revoked or not; undefined when there is none. */
  getToken(id: string): Promise<TokenRecord | undefined>;
  /** Every token, revoked ones included, oldest first. */
  listTokens(): Promise<TokenRecord[]>;
  /**
   * Revokes a token for good at `now`; true when this call revoked it, false when there is no such token or it was
   * revoked already (the first revoke time is kept).
   */
  revokeToken(id: string, now: number): Promise<boolean>;
  /** Records that the token was used at `now` (kept only when later than the time already recorded). */
  touchToken(id: string, now: number): Promise<void>;
}

/** What a token may do through the API, each role including the ones before it. */
export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export interface NewToken {
  /** The public part of the token, also the key it is found by. */
  readonly id: string;
  /** Who calls with it: the caller's user name in runs, timelines and versions. */
  readonly name: string;
  readonly role: TokenRole;
  /** SHA-256 of the secret part, as lower-case hex (64 characters). */
  readonly secret_hash: string;
  readonly create_time: number;
}

export interface TokenRecord extends NewToken {
  readonly last_used_time?: number;
  readonly revoke_time?: number;
}
