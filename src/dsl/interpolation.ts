/**
 * The syntax of Maestro's string interpolation (REFERENCE §3.3), shared by validation (which only needs the names)
 * and the params layer (which fills in values): `$name` (`[a-zA-Z][_a-zA-Z0-9]*`) and `${name}`
 * (`[a-zA-Z][-_./a-zA-Z0-9]*`, so `${job.2__param1}` works). `$$` is a literal `$`, so `$$name` reads `$name` and
 * `$${x}` reads `${x}`. A `$` that starts neither form stays as it is.
 */
const SHORT = /^[a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^\{([a-zA-Z][-_./a-zA-Z0-9]*)\}/;

/** A run of literal text (with `$$` already turned into `$`), or a reference to a param by name. */
export type InterpolationPiece = { readonly text: string } | { readonly ref: string };

export function scanInterpolation(text: string): InterpolationPiece[] {
  const pieces: InterpolationPiece[] = [];
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
  for (const p of scanInterpolation(text)) if ('ref' in p && !names.includes(p.ref)) names.push(p.ref);
  return names;
}
