import type { SelElemType, SelTypeName } from './values.js';

/** Declarable class names and the SEL type their variables hold. */
export const DECL_TYPES: Readonly<Record<string, SelTypeName>> = {
  int: 'LONG',
  long: 'LONG',
  Integer: 'LONG',
  Long: 'LONG',
  double: 'DOUBLE',
  Double: 'DOUBLE',
  float: 'DOUBLE',
  Float: 'DOUBLE',
  boolean: 'BOOLEAN',
  Boolean: 'BOOLEAN',
  String: 'STRING',
  Map: 'MAP',
  HashMap: 'MAP',
  LinkedHashMap: 'MAP',
  DateTime: 'DATETIME',
  DateTimeZone: 'DATETIME_ZONE',
  DateTimeFormatter: 'DATETIME_FORMATTER',
  Days: 'DATETIME_DAYS',
  UUID: 'UUID',
};

/** Element types arrays may have (`new T[n]`, `T[] x`). */
export const ELEM_TYPES: Readonly<Record<string, SelElemType>> = {
  int: 'LONG',
  long: 'LONG',
  Integer: 'LONG',
  Long: 'LONG',
  double: 'DOUBLE',
  Double: 'DOUBLE',
  float: 'DOUBLE',
  Float: 'DOUBLE',
  boolean: 'BOOLEAN',
  Boolean: 'BOOLEAN',
  String: 'STRING',
};

export function lookupType(table: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
