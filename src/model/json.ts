import type { JsonPath } from './issue.js';

/** JSON values as they come off the wire, read-only. */
export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Freezes a value and everything reachable from it; model objects are immutable once built. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * A user-given value as text, for a name that is not one of the known ones or a message: a string as it is,
 * anything else as JSON. Never throws, whatever keys an object has (`String({toString: []})` would).
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The path of the first list or map nested deeper than `maxDepth` (the value itself, when a list or map, is level
 * 1), or undefined when the value stays within it. Iterative, and it never looks below `maxDepth + 1`, so a value
 * of any depth (or a cyclic one, as YAML aliases can make) is checked in bounded stack and time: the check that
 * lets every later recursive walk (validation, params, SEL conversion, JSON.stringify) stay safe.
 */
export function pathBeyondDepth(value: unknown, maxDepth: number): JsonPath | undefined {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: [] }];
  // A value shared by several parents (a YAML alias) is walked again only when reached deeper than before, so
  // each one is walked at most maxDepth times, however it is shared.
  const deepestSeen = new Map<object, number>();
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= maxDepth) return path;
    if ((deepestSeen.get(v) ?? -1) >= path.length) continue;
    deepestSeen.set(v, path.length);
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (typeof item === 'object' && item !== null) stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}
