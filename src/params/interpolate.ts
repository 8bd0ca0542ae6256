import { scanInterpolation } from '../dsl/interpolation.js';
import { formatParamValue } from './value-convert.js';
import { paramError, ParamErrorCode } from './errors.js';
import type { ParamValue } from './types.js';

/**
 * String interpolation in literal STRING / STRING_ARRAY / STRING_MAP values (REFERENCE §3.3): the syntax
 * (`$name`, `${name}`, `$$` for a literal `$`) is in `dsl/interpolation.ts`, which validation shares. Arrays and maps
 * interpolate as JSON.
 */
export { interpolationReferences } from '../dsl/interpolation.js';

/**
 * Replaces references with values from `lookup`; `undefined` from the lookup means the param does not exist (or
 * is not evaluated yet), which is an error naming it and the param being interpolated (`param`).
 */
export function interpolate(
  text: string,
  lookup: (name: string) => ParamValue | undefined,
  param: string,
): string {
  let out = '';
  for (const p of scanInterpolation(text)) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const v = lookup(p.ref);
    if (v === undefined) {
      throw paramError(
        ParamErrorCode.UNKNOWN_REFERENCE,
        param,
        `param '${param}' refers to '${p.ref}' in "${text}", but no evaluated param '${p.ref}' is in scope`,
      );
    }
    out += formatParamValue(v);
  }
  return out;
}
