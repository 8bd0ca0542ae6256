/**
 * SEL values. Scalars are JS primitives so the hot path allocates little: LONG is a `bigint` kept in 64-bit
 * range (wraps like Java), DOUBLE is a `number` (never used for longs, so the JS type alone tells them apart),
 * STRING a `string`, BOOLEAN a `boolean`, NULL `null`. Everything else is an instance of a class below, so an
 * `instanceof` check is the only way in: no JS property lookups on user-chosen names.
 */
export type SelScalar = bigint | number | string | boolean | null;
export type SelElemType = 'STRING' | 'LONG' | 'DOUBLE' | 'BOOLEAN';

export class SelArray {
  /** Elements are mutable in place (`a[1] = 'x'`); arrays are shared by assignment, like Java. */
  constructor(
    readonly elem: SelElemType,
    readonly items: SelScalar[],
  ) {}
}

export class SelMap {
  /** Insertion-ordered, String keys; `isNull` marks a declared-but-unassigned `Map m;`. */
  constructor(
    readonly entries: Map<string, SelValue> = new Map(),
    readonly isNull = false,
  ) {}
}

/** A Joda DateTime: an instant plus the zone its fields are read in. */
export class SelDateTime {
  constructor(
    readonly millis: number,
    readonly zone: string,
  ) {}
}
export class SelZone {
  constructor(readonly id: string) {}
}
export class SelFormatter {
  constructor(
    readonly pattern: string,
    readonly zone: string | null,
  ) {}
}
export class SelProperty {
  constructor(
    readonly dateTime: SelDateTime,
    readonly field: string,
  ) {}
}
export class SelDays {
  constructor(readonly days: number) {}
}
export class SelUuid {
  constructor(readonly text: string) {}
}

/** Names of the static classes; each maps to the SEL type name Maestro reports in its error messages. */
export const STATIC_CLASSES = {
  String: 'STRING',
  Long: 'LONG',
  Integer: 'LONG',
  Double: 'DOUBLE',
  Boolean: 'BOOLEAN',
  Math: 'MATH',
  UUID: 'UUID',
  System: 'PRESET_MISC_FUNC_FIELDS',
  Arrays: 'PRESET_MISC_FUNC_FIELDS',
  DateTimeConstants: 'PRESET_MISC_FUNC_FIELDS',
  Util: 'PRESET_UTIL_FUNCTION',
  params: 'PRESET_PARAMS',
  DateTime: 'DATETIME',
  DateTimeZone: 'DATETIME_ZONE',
  DateTimeFormat: 'DATETIME_FORMATTER',
  DateTimeFormatter: 'DATETIME_FORMATTER',
  Days: 'DATETIME_DAYS',
} as const;
export type StaticClassName = keyof typeof STATIC_CLASSES;

export class SelClass {
  constructor(readonly name: StaticClassName) {}
}

/** The value of statements that produce none (declarations, `if`, loops). */
export const VOID: unique symbol = Symbol('VOID');
export type SelVoid = typeof VOID;

export type SelObject =
  SelArray | SelMap | SelDateTime | SelZone | SelFormatter | SelProperty | SelDays | SelUuid | SelClass;
export type SelValue = SelScalar | SelObject;
export type SelResult = SelValue | SelVoid;

export type SelTypeName =
  | 'NULL'
  | 'VOID'
  | 'LONG'
  | 'DOUBLE'
  | 'STRING'
  | 'BOOLEAN'
  | 'STRING_ARRAY'
  | 'LONG_ARRAY'
  | 'DOUBLE_ARRAY'
  | 'BOOLEAN_ARRAY'
  | 'MAP'
  | 'DATETIME'
  | 'DATETIME_ZONE'
  | 'DATETIME_FORMATTER'
  | 'DATETIME_PROPERTY'
  | 'DATETIME_DAYS'
  | 'UUID'
  | (typeof STATIC_CLASSES)[StaticClassName];

/** Maestro's type name of a value (as used in its error messages and param types). */
export function typeOf(v: SelResult): SelTypeName {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'bigint':
      return 'LONG';
    case 'number':
      return 'DOUBLE';
    case 'string':
      return 'STRING';
    case 'boolean':
      return 'BOOLEAN';
    case 'symbol':
      return 'VOID';
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (v instanceof SelArray) return `${v.elem}_ARRAY`;
  if (v instanceof SelMap) return 'MAP';
  if (v instanceof SelDateTime) return 'DATETIME';
  if (v instanceof SelZone) return 'DATETIME_ZONE';
  if (v instanceof SelFormatter) return 'DATETIME_FORMATTER';
  if (v instanceof SelProperty) return 'DATETIME_PROPERTY';
  if (v instanceof SelDays) return 'DATETIME_DAYS';
  if (v instanceof SelUuid) return 'UUID';
  return STATIC_CLASSES[v.name];
}
