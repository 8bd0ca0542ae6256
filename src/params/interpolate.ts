import { formatParamValue } from './value-convert.js';
import { paramError, ParamErrorCode } from './errors.js';
import type { ParamValue } from './types.js';

/**
 * String interpolation in literal STRING / STRING_ARRAY / STRING_MAP values (REFERENCE §3.3):
 * `$name` (`[a-zA-Z][_a-zA-Z0-9]*`) and `${name}` (`[a-zA-Z][-_./a-zA-Z0-9]*`, so `${job.2__param1}` works).
 * `$$` is a literal `$`, so `$$name` reads `$name` and `$${x}` reads `${x}`. A `$` that starts neither form
 * stays as it is. Arrays and maps interpolate as JSON.
 */
const SHORT = /^[a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^\{([a-zA-Z][-_./a-zA-Z0-9]*)\}/;

type Piece = { readonly text: string } | { readonly ref: string };

function scan(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    const rest = text.slice(i + 1);
    if (rest.startsWith('$')) {
      literal += '$';
      i += 2;
      continue;
    }
    const braced = BRACED.exec(rest);
    const short = braced ? null : SHORT.exec(rest);
    const name = braced?.[1] ?? short?.[0];
    if (name === undefined) {
      literal += '$';
      i++;
      continue;
    }
    if (literal !== '') pieces.push({ text: literal });
    literal = '';
    pieces.push({ ref: name });
    i += 1 + (braced ? braced[0].length : name.length);
  }
  if (literal !== '') pieces.push({ text: literal });
  return pieces;
}

/** The names a text refers to, in order of first use. */
export function interpolationReferences(text: string): string[] {
  const names: string[] = [];
  for (const p of scan(text)) if ('ref' in p && !names.includes(p.ref)) names.push(p.ref);
  return names;
}

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
  for (const p of scan(text)) {
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
