/**
 * The vocabulary the builder's option types use. Enumerations come from the model (one word for one thing; the
 * package entry exports their `const` objects from there), so the builder accepts exactly the values the
 * validator does, spelled as the builder writes them: UPPERCASE, except step `type` ("NoOp", "Sleep", ...).
 * Only the wire shapes that the model expands (string tags) are defined here.
 */
import type { TagNamespace } from '../../model/enums.js';
import type { JsonValue } from '../../model/json.js';

export type {
  BackoffType,
  Criticality,
  FailureMode,
  ParamMode,
  ParamType,
  RunStrategyRule,
  SignalOperator,
  StepType,
  TagNamespace,
} from '../../model/enums.js';
export type { JsonValue } from '../../model/json.js';
/**
 * Maestro's ParsableLong: a number (seconds, for timeouts and backoffs), or a string that is a duration
 * ("20 minutes", "2h") or a `$param` / `${param}` reference to a workflow param.
 */
export type { ParsableLong } from '../../model/retry-policy.js';

/**
 * A tag as written in a definition: a bare name, or an object with a namespace and any extra attributes. `permit`
 * is left out on purpose: Maestro treats it as read-only, so a definition that sets it would be rejected.
 */
export type TagJson =
  | string
  | {
      readonly name: string;
      readonly namespace?: TagNamespace;
      readonly [attribute: string]: JsonValue | undefined;
    };
export type TagListJson = readonly TagJson[];
