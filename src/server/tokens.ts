import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import { ValidationError } from '../model/errors.js';
import type { Store, TokenRecord, TokenRole } from '../store/port.js';
import { TOKEN_ROLES } from '../store/port.js';

// API tokens as the caller holds them: `baton.<id>.<secret>`. The id (12 hex characters) is public: it is how the
// token is found, listed and revoked. The secret is 256 random bits (43 base64url characters); only its SHA-256 is
// stored (docs/decisions/0015-api-auth.md says why a fast hash is right for random machine tokens).

const PREFIX = 'baton';
const ID_BYTES = 6;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^baton\.([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The SHA-256 of a token's secret, as stored (64 lower-case hex characters). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * True when `secret` hashes to `storedHash`. The two digests are compared with `timingSafeEqual`, always 32 bytes
 * against 32 bytes, so how long a wrong secret takes to refuse says nothing of how much of it was right.
 */
export function secretMatches(storedHash: string, secret: string): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  if (stored.length !== presented.length) {
    timingSafeEqual(presented, presented);
    return false;
  }
  return timingSafeEqual(stored, presented);
}

/** The id and secret of a token as a caller sends it; undefined when it does not have a token's form. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/** What a request's token says, when it is valid: the stored record (never the secret). */
export async function verifyToken(store: Store, token: string): Promise<TokenRecord | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const record = await store.transact((tx) => tx.getToken(parsed.id));
  // An unknown id still costs a hash and a comparison, so it answers in the time a wrong secret does.
  const matches = secretMatches(record?.secret_hash ?? '0'.repeat(64), parsed.secret);
  return record !== undefined && matches && record.revoke_time === undefined ? record : undefined;
}

/** A token's name: the caller's user name, as the `user` header would give it (1–128 printable characters). */
export function checkTokenName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 128 || /[\p{Cc}]/u.test(trimmed)) {
    const message = 'a token name is the caller it stands for: 1 to 128 characters, no control characters';
    throw new ValidationError(message, [{ code: 'INVALID_VALUE', path: ['name'], message }]);
  }
  return trimmed;
}

export function checkTokenRole(role: string): TokenRole {
  if ((TOKEN_ROLES as readonly string[]).includes(role)) return role as TokenRole;
  const message = `a token's role is one of ${TOKEN_ROLES.join(', ')}, not '${role}'`;
  throw new ValidationError(message, [{ code: 'INVALID_VALUE', path: ['role'], message }]);
}

/**
 * Makes a token and stores its hash. The returned `token` is the only copy of the secret there will ever be: show it
 * once, never log it.
 */
export async function createApiToken(
  deps: { readonly store: Store; readonly clock: Clock },
  input: { readonly name: string; readonly role: string },
): Promise<{ record: TokenRecord; token: string }> {
  const name = checkTokenName(input.name);
  const role = checkTokenRole(input.role);
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const record = await deps.store.transact((tx) =>
    tx.insertToken({ id, name, role, secret_hash: hashSecret(secret), create_time: deps.clock.now() }),
  );
  return { record, token: `${PREFIX}.${id}.${secret}` };
}

/** A token as it may be shown: everything but the hash of its secret. */
export function tokenView(record: TokenRecord): Record<string, string | number | boolean> {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    create_time: record.create_time,
    ...(record.last_used_time === undefined ? {} : { last_used_time: record.last_used_time }),
    ...(record.revoke_time === undefined ? {} : { revoke_time: record.revoke_time }),
    revoked: record.revoke_time !== undefined,
  };
}
