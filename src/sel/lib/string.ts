import { selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { SelArray, typeOf, type SelValue } from '../values.js';
import { display } from '../convert.js';
import { failedCall, int, noMethod, str } from './common.js';
import { javaFormat } from './format.js';
import { javaReplaceAll, javaSplit } from './regex.js';

/**
 * String methods. `recv` is null for the static `String` class: the static-like methods (valueOf, format, join,
 * escape) work on both, instance methods on the class fail like a method call on Java's null.
 */
export function stringMethod(rt: Runtime, recv: string | null, name: string, args: SelValue[]): SelValue {
  const n = args.length;
  switch (name) {
    case 'valueOf':
      if (n === 1) return out(rt, display(args[0] as SelValue));
      break;
    case 'format':
      if (n >= 1) return out(rt, javaFormat(rt, str(args[0] as SelValue, name, args), args.slice(1)));
      break;
    case 'join':
      if (n >= 1) return out(rt, join(args));
      break;
    case 'escape':
      if (n === 0 && recv !== null) return out(rt, escapeJava(recv));
      if (n === 1 && typeof args[0] === 'string') return out(rt, escapeJava(args[0]));
      throw selError('ILLEGAL_ARGUMENT', 'Invalid input args for String.escape method');
    default:
      break;
  }
  if (!INSTANCE_ARITY.has(`${name}/${n}`)) throw noMethod('STRING', name, args);
  if (recv === null) throw failedCall(name, args, 'called on the String class, not a string');
  return out(rt, instance(rt, recv, name, args));
}

const INSTANCE_ARITY = new Set([
  'compareTo/1',
  'contains/1',
  'endsWith/1',
  'equals/1',
  'isEmpty/0',
  'lastIndexOf/1',
  'lastIndexOf/2',
  'length/0',
  'replace/2',
  'replaceAll/2',
  'split/1',
  'split/2',
  'startsWith/1',
  'substring/1',
  'substring/2',
  'toLowerCase/0',
  'toUpperCase/0',
  'trim/0',
  'toString/0',
]);

function instance(rt: Runtime, s: string, name: string, args: SelValue[]): SelValue {
  const a0 = args[0] as SelValue;
  switch (name) {
    case 'compareTo':
      return BigInt(compareUtf16(s, str(a0, name, args)));
    case 'contains':
      return s.includes(str(a0, name, args));
    case 'endsWith':
      return s.endsWith(str(a0, name, args));
    case 'startsWith':
      return s.startsWith(str(a0, name, args));
    case 'equals':
      return typeof a0 === 'string' && a0 === s;
    case 'isEmpty':
      return s.length === 0;
    case 'length':
      return BigInt(s.length);
    case 'lastIndexOf':
      return BigInt(
        args.length === 1
          ? s.lastIndexOf(str(a0, name, args))
          : s.lastIndexOf(str(a0, name, args), int(args[1] as SelValue, name, args)),
      );
    case 'replace': {
      const target = str(a0, name, args);
      const repl = str(args[1] as SelValue, name, args);
      rt.charge(2 * s.length * Math.max(1, repl.length));
      return target === '' ? repl + [...s].join(repl) + (s === '' ? '' : repl) : s.split(target).join(repl);
    }
    case 'replaceAll':
      return javaReplaceAll(rt, s, str(a0, name, args), str(args[1] as SelValue, name, args));
    case 'split': {
      const limit = args.length === 2 ? int(args[1] as SelValue, name, args) : 0;
      return rt.newArray('STRING', javaSplit(rt, s, str(a0, name, args), limit));
    }
    case 'substring': {
      const b = int(a0, name, args);
      const e = args.length === 2 ? int(args[1] as SelValue, name, args) : s.length;
      if (b < 0 || e > s.length || b > e)
        throw failedCall(name, args, `begin ${b}, end ${e}, length ${s.length}`);
      return s.slice(b, e);
    }
    case 'toLowerCase':
      return s.toLowerCase();
    case 'toUpperCase':
      return s.toUpperCase();
    case 'trim':
      return javaTrim(s);
    case 'toString':
      return s;
    default:
      throw noMethod('STRING', name, args);
  }
}

/** Charges every new string against the memory limit: 32 bytes plus 2 per character. */
function out(rt: Runtime, v: SelValue): SelValue {
  if (typeof v === 'string') rt.charge(32 + 2 * v.length);
  return v;
}

function join(args: SelValue[]): string {
  const sep = args[0];
  if (typeof sep !== 'string')
    throw failedCall('join', args, `expected STRING delimiter, got ${typeOf(sep ?? null)}`);
  const rest = args.slice(1);
  if (rest.length === 1 && rest[0] instanceof SelArray) return rest[0].items.map((x) => display(x)).join(sep);
  return rest.map((x) => display(x)).join(sep);
}

function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const JAVA_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * Maestro's `String.escape`: backslashes, double quotes and the control characters `\t \b \n \r \f` get a
 * backslash; everything else (other control characters, non-ASCII text) is kept as it is, as in netflix-sel.
 */
function escapeJava(s: string): string {
  let o = '';
  for (const ch of s) o += Object.hasOwn(JAVA_ESCAPES, ch) ? JAVA_ESCAPES[ch] : ch;
  return o;
}

/** `new String()`, `new String(s)`. */
export function newString(args: SelValue[]): SelValue {
  if (args.length === 0) return '';
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  throw selError(
    'ILLEGAL_ARGUMENT',
    `Invalid input argument (${args.map((a) => display(a)).join(', ')}) for String constructor`,
  );
}

/** Java's trim(): strips every char up to U+0020 from both ends. */
function javaTrim(s: string): string {
  let b = 0;
  let e = s.length;
  while (b < e && s.charCodeAt(b) <= 32) b++;
  while (e > b && s.charCodeAt(e - 1) <= 32) e--;
  return s.slice(b, e);
}
