/**
 * The order in which Java's `HashMap` iterates string keys inserted in `keys` order. Every SEL map is a
 * `HashMap` in Maestro (`new Map()`, `new HashMap()`, `new LinkedHashMap()` and input maps alike), so this is the
 * order of `String.valueOf(map)` there: by bucket (the spread `String.hashCode` masked by
 * the table size), then by insertion within a bucket. The table starts at 16 buckets and doubles when it is more
 * than 3/4 full, or when a bucket of a table under 64 buckets grows past 8 entries. SEL maps never lose entries,
 * so replaying the insertions gives the table Maestro has.
 *
 * Not reproduced: a bucket of more than 8 entries in a table of 64 or more becomes a tree in Java, iterated in
 * another order (it needs many keys whose hashes share their low bits).
 */
export function javaHashMapOrder(keys: Iterable<string>): string[] {
  let table: string[][] = emptyTable(16);
  let size = 0;
  for (const key of keys) {
    const bucket = table[spreadHash(key) & (table.length - 1)] as string[];
    bucket.push(key);
    if (bucket.length > TREEIFY_THRESHOLD && table.length < MIN_TREEIFY_CAPACITY) table = resize(table);
    if (++size > table.length * 0.75) table = resize(table);
  }
  return table.flat();
}

const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

function emptyTable(n: number): string[][] {
  return Array.from({ length: n }, () => []);
}

/** Doubles the table; each bucket splits in two, keeping the relative order of its keys (as Java's resize does). */
function resize(old: string[][]): string[][] {
  const table = emptyTable(old.length * 2);
  for (const bucket of old)
    for (const key of bucket) (table[spreadHash(key) & (table.length - 1)] as string[]).push(key);
  return table;
}

/** `String.hashCode()` with HashMap's spreading of the high bits into the low ones. */
function spreadHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h ^ (h >>> 16);
}
