import { ValidationError } from '../model/errors.js';
import type { JsonValue } from '../model/json.js';

/**
 * Opaque page cursors: a listing's keyset position, as base64url JSON, so clients pass back what they were given and
 * never build one. A cursor that was not made here (or by another version of the same listing) is a 400, not a
 * page that silently starts elsewhere.
 */
export function encodeCursor(listing: string, position: JsonValue): string {
  return Buffer.from(JSON.stringify({ l: listing, p: position })).toString('base64url');
}

export function decodeCursor(listing: string, cursor: string, field = 'cursor'): JsonValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const value = parsed as { l?: unknown; p?: JsonValue } | undefined;
  if (!value || typeof value !== 'object' || value.l !== listing || value.p === undefined) {
    throw new ValidationError(`bad cursor`, [
      {
        code: 'BAD_CURSOR',
        path: [field],
        message: `'${cursor.slice(0, 40)}' is not a cursor of this listing; pass back a cursor this listing returned`,
      },
    ]);
  }
  return value.p;
}
