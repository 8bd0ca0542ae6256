import { createHash } from 'node:crypto';

/**
 * A UUID that is a function of `text` (RFC 4122 version 5 layout over SHA-1), for ids Baton derives instead of
 * drawing: a signal's instance id from its name and params, a trigger's uuid from its definition, a triggered run's
 * request id. The same text gives the same id in every process.
 */
export function stableUuid(kind: string, text: string): string {
  const b = createHash('sha1').update(`baton:${kind}:${text}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
}

/** JSON with every object's keys sorted, so equal values give equal text whatever order their keys came in. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
