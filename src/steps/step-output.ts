import type { JsonValue } from '../model/json.js';
import { isJsonObject, pathBeyondDepth } from '../model/json.js';
import { DEFAULT_LIMITS } from '../model/limits.js';

/** Output params and artifacts a step reported, by name. */
export interface StepOutput {
  readonly outputs: Readonly<Record<string, JsonValue>>;
  readonly artifacts: Readonly<Record<string, JsonValue>>;
}

export type OutputResult =
  { readonly ok: true; readonly value: StepOutput } | { readonly ok: false; readonly message: string };

export const EMPTY_OUTPUT: StepOutput = Object.freeze({
  outputs: Object.freeze({}),
  artifacts: Object.freeze({}),
});

/** Fields of a Maestro param object; `{value}` is unwrapped only when every key is one of these (see `paramValue`). */
const PARAM_FIELDS = new Set([
  'name',
  'type',
  'value',
  'expression',
  'evaluated_result',
  'evaluated_time',
  'mode',
  'meta',
  'tags',
  'validator',
  'source',
  'internal_mode',
]);

/**
 * Parses one output document. Two shapes are accepted:
 * - Maestro's `{"params": {...}, "artifacts": {...}}`, where a param is plain JSON or a Maestro param object (its
 *   `evaluated_result`, else its `value`, is taken);
 * - any other object, whose keys are the output params. (So an output literally named `params` or `artifacts` must be
 *   wrapped in the Maestro shape.)
 * `where` names the source in error messages, e.g. "the $BATON_OUTPUT file /tmp/x/output.json".
 */
export function parseStepOutput(text: string, where: string): OutputResult {
  if (text.trim() === '') return { ok: true, value: EMPTY_OUTPUT };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `invalid output JSON in ${where}: ${reason}` };
  }
  if (!isJsonObject(doc)) return { ok: false, message: `output in ${where} must be a JSON object` };
  // Checked before anything walks the outputs recursively (typing them, writing them to the store).
  if (pathBeyondDepth(doc, DEFAULT_LIMITS.valueDepth) !== undefined) {
    const limit = DEFAULT_LIMITS.valueDepth;
    return { ok: false, message: `output in ${where} nests lists and maps more than ${limit} levels deep` };
  }
  if (!('params' in doc) && !('artifacts' in doc))
    return { ok: true, value: { outputs: doc, artifacts: {} } };
  const params = doc['params'] ?? {};
  const artifacts = doc['artifacts'] ?? {};
  if (!isJsonObject(params)) return { ok: false, message: `"params" in ${where} must be a JSON object` };
  if (!isJsonObject(artifacts))
    return { ok: false, message: `"artifacts" in ${where} must be a JSON object` };
  // fromEntries defines properties, so a key named "__proto__" stays an ordinary output.
  const outputs = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, paramValue(value)]),
  );
  return { ok: true, value: { outputs, artifacts } };
}

/**
 * The value of one reported param. `{"value": 1, "other": 2}` stays a plain map: only objects that look like Maestro
 * params are unwrapped, so a MAP output is not mistaken for a param object.
 */
function paramValue(value: JsonValue): JsonValue {
  if (!isJsonObject(value)) return value;
  const evaluated = value['evaluated_result'];
  if (evaluated !== undefined) return evaluated;
  const plain = value['value'];
  if (plain !== undefined && Object.keys(value).every((key) => PARAM_FIELDS.has(key))) return plain;
  return value;
}

/** Later sources win per name: the markers are read first, then the $BATON_OUTPUT file. */
export function mergeStepOutputs(parts: readonly StepOutput[]): StepOutput {
  return {
    outputs: Object.fromEntries(parts.flatMap((part) => Object.entries(part.outputs))),
    artifacts: Object.fromEntries(parts.flatMap((part) => Object.entries(part.artifacts))),
  };
}

export function isEmpty(record: Readonly<Record<string, JsonValue>>): boolean {
  return Object.keys(record).length === 0;
}
