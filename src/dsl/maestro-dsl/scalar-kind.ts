import { isMap, isScalar, isSeq, type Node } from 'yaml';

/** The kinds of YAML value the param rules distinguish. */
export type ValueKind = 'string' | 'long' | 'double' | 'boolean' | 'null' | 'list' | 'map' | 'other';

// YAML 1.2 core integers; `15.0` and `1e3` are floats even though JavaScript holds them as whole numbers.
const INTEGER_SOURCE = /^[-+]?(?:[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$/;

export function kindOf(node: Node | null): ValueKind {
  if (node === null) return 'null';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'list';
  if (!isScalar(node)) return 'other';
  const v = node.value;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'long';
  if (typeof v === 'number') {
    const src = typeof node.source === 'string' ? node.source.trim() : undefined;
    if (src !== undefined && src !== '') return INTEGER_SOURCE.test(src) ? 'long' : 'double';
    return Number.isInteger(v) ? 'long' : 'double';
  }
  return 'other';
}

/** Human words for a kind, for messages. */
export const KIND_WORDS: Readonly<Record<ValueKind, string>> = {
  string: 'text',
  long: 'an integer',
  double: 'a decimal number',
  boolean: 'a boolean',
  null: 'null',
  list: 'a list',
  map: 'a map',
  other: 'an unsupported value',
};
