/**
 * Small helpers that keep the builder's output plain JSON: no `undefined` members (so deep equality with a
 * parsed file holds, not just equality after JSON.stringify), no shared mutable references to user objects, and
 * frozen, since a built definition is a value and must not change after it has been handed out.
 */

/** Keeps the entries whose value is not `undefined`, in their given order (key order is what goldens diff). */
export function compact<T extends Record<string, unknown>>(
  entries: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) out[key] = value;
  }
  return Object.freeze(out) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/**
 * A deep, frozen copy of a value given by the user (alerting, tag attributes, literal maps and arrays). Copying
 * means a user who mutates their object after building does not change a definition already built.
 */
export function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => frozenCopy(v))) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) out[key] = frozenCopy(v);
    }
    return Object.freeze(out) as T;
  }
  return value;
}

/** Builds a frozen record from entries, dropping `undefined` values. */
export function record<V>(entries: Iterable<readonly [string, V | undefined]>): Readonly<Record<string, V>> {
  const out: Record<string, V> = {};
  for (const [key, value] of entries) {
    if (value !== undefined) out[key] = value;
  }
  return Object.freeze(out);
}

/** Maps the values of a record, keeping its key order. */
export function mapValues<V, R>(
  input: { readonly [k: string]: V },
  fn: (value: V, key: string) => R,
): Readonly<Record<string, R>> {
  return record(Object.entries(input).map(([k, v]) => [k, fn(v, k)] as const));
}
