import { selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { SelArray, type SelValue } from '../values.js';
import { display, javaDouble } from '../convert.js';

const SPEC = /%(\d+\$)?([-#+ 0,(]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;

/** Java's `String.format` for the conversions SEL scripts use: s S d x X o f e E b B c n %. */
export function javaFormat(rt: Runtime, fmt: string, args: readonly SelValue[]): string {
  let next = 0;
  let out = '';
  let last = 0;
  for (let m = SPEC.exec(fmt); m !== null; m = SPEC.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = m.index + m[0].length;
    const [, pos, flags = '', widthText, precText, conv = ''] = m;
    if (conv === 'n') {
      out += '\n';
      continue;
    }
    if (conv === '%') {
      out += '%';
      continue;
    }
    const index = pos !== undefined ? Number(pos.slice(0, -1)) - 1 : next++;
    if (index < 0 || index >= args.length)
      throw selError('ILLEGAL_ARGUMENT', `Missing format argument for '${m[0]}'`);
    const width = widthText === undefined ? 0 : Number(widthText);
    // A width is text we would allocate: count it against the memory limit before building it.
    rt.charge(2 * width);
    const prec = precText === undefined ? -1 : Number(precText.slice(1));
    out += pad(convert(conv, flags, prec, args[index] as SelValue, m[0]), width, flags);
  }
  SPEC.lastIndex = 0;
  return out + fmt.slice(last);
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0')) {
    const sign = s.startsWith('-') || s.startsWith('+') ? s.slice(0, 1) : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

function bad(spec: string, v: SelValue): Error {
  return selError(
    'ILLEGAL_ARGUMENT',
    `${spec} != ${v === null ? 'null' : typeof v === 'bigint' ? 'java.lang.Long' : typeof v}`,
  );
}

function signed(s: string, negative: boolean, flags: string): string {
  let body = s;
  if (flags.includes(',')) body = body.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  if (negative) return flags.includes('(') ? `(${body})` : `-${body}`;
  if (flags.includes('+')) return `+${body}`;
  if (flags.includes(' ')) return ` ${body}`;
  return body;
}

function convert(conv: string, flags: string, prec: number, v: SelValue, spec: string): string {
  switch (conv) {
    case 's':
    case 'S': {
      const s = v instanceof SelArray ? display(v) : display(v);
      const cut = prec >= 0 ? s.slice(0, prec) : s;
      return conv === 'S' ? cut.toUpperCase() : cut;
    }
    case 'b':
    case 'B': {
      const s = v === null ? 'false' : typeof v === 'boolean' ? String(v) : 'true';
      return conv === 'B' ? s.toUpperCase() : s;
    }
    case 'd':
      if (typeof v !== 'bigint') throw bad(spec, v);
      return signed((v < 0n ? -v : v).toString(), v < 0n, flags);
    case 'x':
    case 'X':
    case 'o': {
      if (typeof v !== 'bigint') throw bad(spec, v);
      const u = BigInt.asUintN(64, v).toString(conv === 'o' ? 8 : 16);
      return conv === 'X' ? u.toUpperCase() : u;
    }
    case 'f':
    case 'e':
    case 'E': {
      if (typeof v !== 'number') throw bad(spec, v);
      if (!Number.isFinite(v)) return javaDouble(v);
      const p = prec < 0 ? 6 : Math.min(prec, 100);
      const abs = Math.abs(v);
      let s = conv === 'f' ? abs.toFixed(p) : abs.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      if (conv === 'E') s = s.toUpperCase();
      return signed(s, v < 0 || Object.is(v, -0), flags);
    }
    case 'c':
      if (typeof v === 'string' && v.length === 1) return v;
      if (typeof v === 'bigint' && v >= 0n && v <= 0x10ffffn) return String.fromCodePoint(Number(v));
      throw bad(spec, v);
    default:
      throw selError('ILLEGAL_ARGUMENT', `Unknown format conversion '${conv}' in ${spec}`);
  }
}
