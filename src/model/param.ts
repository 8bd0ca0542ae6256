import type { InternalParamMode, ParamMode, ParamType } from './enums.js';
import type { JsonValue } from './json.js';
import type { Tag } from './tag.js';

/** A literal a param may hold; MAP params hold nested param definitions instead. */
export type ParamLiteral =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[]
  | {
      readonly [key: string]: string;
    };

/**
 * A param definition (REFERENCE §3.1): `value` xor `expression`, a type, a mode, and any extra keys kept as `meta`
 * (notably `internal_mode` and `source`). `value` of a MAP param is a map of nested definitions.
 */
export interface ParamDefinition {
  readonly type: ParamType;
  readonly value?: JsonValue | ParamMap;
  readonly expression?: string;
  readonly mode?: ParamMode;
  readonly internal_mode?: InternalParamMode;
  readonly validator?: string;
  readonly tags?: readonly Tag[];
  readonly meta?: { readonly [key: string]: JsonValue };
}

export interface ParamMap {
  readonly [name: string]: ParamDefinition;
}

export const RESERVED_PARAM_NAMES: ReadonlySet<string> = new Set([
  'maestro',
  'Maestro',
  'MAESTRO',
  'scheduler',
  'Scheduler',
  'SCHEDULER',
  'util',
  'Util',
  'UTIL',
  'params',
  'Params',
  'PARAMS',
  'AUTH_BLOB',
  'AUTH_DATA',
  'AUTH_ACTING_ON_BEHALF_OF_BLOB',
  'AUTH_TRIGGERING_ON_BEHALF_OF_BLOB',
  'AUTHORIZED_MANAGERS',
]);
