import { canonical, InternalParamMode, ParamMode, ParamType, TagNamespace } from '../model/enums.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';
import type { Tag } from '../model/tag.js';

/**
 * Wire → model for params and tags. Tolerant by design: structure errors are reported by the wire schema, so here a
 * value of the wrong shape is dropped (or kept as it is) and conversion carries on; it never throws.
 */

const PARAM_KEYS = new Set(['type', 'value', 'expression', 'mode', 'internal_mode', 'validator', 'tags']);

export function normalizeParamMap(raw: unknown): ParamMap | undefined {
  if (!isJsonObject(raw)) return undefined;
  const out: Record<string, ParamDefinition> = {};
  for (const [name, def] of Object.entries(raw)) {
    const param = normalizeParam(def);
    if (param) out[name] = param;
  }
  return out;
}

export function normalizeParam(raw: unknown): ParamDefinition | undefined {
  if (!isJsonObject(raw)) return undefined;
  // An unknown or missing type stays as written ('' when missing): the wire schema reports it, and the rules skip
  // type checks of a param whose type they do not know rather than guess one.
  const type =
    canonical(ParamType, raw['type']) ?? ((typeof raw['type'] === 'string' ? raw['type'] : '') as ParamType);
  const out: { -readonly [K in keyof ParamDefinition]: ParamDefinition[K] } = { type };
  if ('value' in raw && raw['value'] !== undefined) {
    out.value =
      type === 'MAP' && isJsonObject(raw['value']) ? normalizeMapLiteral(raw['value']) : raw['value'];
  }
  if (typeof raw['expression'] === 'string') out.expression = raw['expression'];
  const mode = canonical(ParamMode, raw['mode']);
  if (mode) out.mode = mode;
  const internalMode = canonical(InternalParamMode, raw['internal_mode']);
  if (internalMode) out.internal_mode = internalMode;
  if (typeof raw['validator'] === 'string') out.validator = raw['validator'];
  const tags = normalizeTags(raw['tags']);
  if (tags) out.tags = tags;
  const meta: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(raw)) if (!PARAM_KEYS.has(key)) meta[key] = value;
  if (Object.keys(meta).length > 0) out.meta = meta;
  return out;
}

/**
 * A MAP literal as nested definitions. An entry that is a map with a text `type` is a param definition (Maestro's
 * form); any other entry is a plain value (`{source: {bucket: raw}}`, as a run param or an expression's result
 * would give it), made a literal definition typed from its JSON: text STRING, a whole number LONG, another number
 * DOUBLE, a boolean BOOLEAN, a list the array type its items fit (STRING_ARRAY when none does, which validation
 * then reports), a map a MAP of the same kind. A null entry is left out, as a null value is no value. This is the
 * form evaluated MAP values take too (literalDefinition), so plain and nested maps merge key by key alike.
 */
export function normalizeMapLiteral(raw: JsonObject): ParamMap {
  const out: Record<string, ParamDefinition> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const param =
      isJsonObject(entry) && typeof entry['type'] === 'string' ? normalizeParam(entry) : plainLiteral(entry);
    if (param) out[name] = param;
  }
  return out;
}

function plainLiteral(value: JsonValue): ParamDefinition | undefined {
  if (value === null) return undefined;
  if (isJsonObject(value)) return { type: 'MAP', value: normalizeMapLiteral(value) };
  return { type: plainType(value), value };
}

function plainType(value: JsonValue): ParamType {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'LONG' : 'DOUBLE';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (!Array.isArray(value) || value.length === 0) return 'STRING_ARRAY';
  if (value.every((x) => typeof x === 'boolean')) return 'BOOLEAN_ARRAY';
  if (value.every((x) => Number.isSafeInteger(x))) return 'LONG_ARRAY';
  if (value.every((x) => typeof x === 'number')) return 'DOUBLE_ARRAY';
  return 'STRING_ARRAY';
}

export function normalizeTags(raw: unknown): readonly Tag[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Tag[] = [];
  for (const item of raw as JsonValue[]) {
    if (typeof item === 'string') out.push({ name: item });
    else if (isJsonObject(item) && typeof item['name'] === 'string') out.push(normalizeTagObject(item));
  }
  return out;
}

function normalizeTagObject(item: JsonObject): Tag {
  const tag: { -readonly [K in keyof Tag]: Tag[K] } = { name: item['name'] as string };
  const namespace = canonical(TagNamespace, item['namespace']);
  if (namespace) tag.namespace = namespace;
  if (item['permit'] !== undefined) tag.permit = item['permit'];
  const attributes: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key !== 'name' && key !== 'namespace' && key !== 'permit') attributes[key] = value;
  }
  if (Object.keys(attributes).length > 0) tag.attributes = attributes;
  return tag;
}

/** Model → wire for params: the canonical form, which the normalizer maps back to the same model. */
export function paramMapToJson(params: ParamMap): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, def] of Object.entries(params)) out[name] = paramToJson(def);
  return out;
}

export function paramToJson(def: ParamDefinition): JsonObject {
  const out: Record<string, JsonValue> = {};
  if (def.value !== undefined) {
    out['value'] =
      def.type === 'MAP' && isJsonObject(def.value)
        ? paramMapToJson(def.value as unknown as ParamMap)
        : (def.value as JsonValue);
  }
  if (def.expression !== undefined) out['expression'] = def.expression;
  out['type'] = def.type;
  if (def.mode) out['mode'] = def.mode;
  if (def.internal_mode) out['internal_mode'] = def.internal_mode;
  if (def.validator !== undefined) out['validator'] = def.validator;
  if (def.tags) out['tags'] = tagsToJson(def.tags);
  for (const [key, value] of Object.entries(def.meta ?? {})) out[key] = value;
  return out;
}

export function tagsToJson(tags: readonly Tag[]): JsonValue[] {
  return tags.map((tag) => {
    if (!tag.namespace && tag.permit === undefined && !tag.attributes) return tag.name;
    const out: Record<string, JsonValue> = { name: tag.name };
    if (tag.namespace) out['namespace'] = tag.namespace;
    if (tag.permit !== undefined) out['permit'] = tag.permit;
    return { ...out, ...tag.attributes };
  });
}
