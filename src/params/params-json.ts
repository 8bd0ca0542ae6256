import type { JsonValue } from '../model/json.js';
import type { EvaluatedParams } from './types.js';
import { paramValueToJson } from './value-convert.js';

/** Evaluated params as JSON: `{name: {type, value, mode, source}}` (what an instance stores). */
export function evaluatedParamsToJson(params: EvaluatedParams): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of params) {
    out[name] = {
      type: p.type,
      value: paramValueToJson(p.value),
      mode: p.mode,
      source: p.source,
      evaluated_time: p.evaluated_time,
    };
  }
  return out;
}

/** Characters of JSON the evaluated params take, checked against `paramsJsonChars` (REFERENCE §9: 750,000). */
export function paramsJsonSize(params: EvaluatedParams): number {
  return JSON.stringify(evaluatedParamsToJson(params)).length;
}

/** Plain values by name, for display and tests. */
export function paramValues(params: EvaluatedParams): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of params) out[name] = paramValueToJson(p.value);
  return out;
}
