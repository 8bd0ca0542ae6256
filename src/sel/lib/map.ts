import type { Runtime } from '../runtime.js';
import { SelMap, type SelValue } from '../values.js';
import { classCast, noMethod } from './common.js';

/** Map methods: containsKey, get, getOrDefault, put (returns the previous value), size. Keys are STRINGs. */
export function mapMethod(rt: Runtime, m: SelMap, name: string, args: SelValue[]): SelValue {
  const key = (): string => {
    const k = args[0] ?? null;
    if (typeof k !== 'string') throw classCast(k, 'java.lang.String');
    return k;
  };
  switch (`${name}/${args.length}`) {
    case 'containsKey/1':
      return m.entries.has(key());
    case 'get/1':
      return m.entries.get(key()) ?? null;
    case 'getOrDefault/2': {
      const k = key();
      return m.entries.has(k) ? (m.entries.get(k) as SelValue) : (args[1] as SelValue);
    }
    case 'put/2': {
      const k = key();
      const prev = m.entries.get(k) ?? null;
      if (!m.entries.has(k)) rt.charge(32 + 2 * k.length);
      m.entries.set(k, args[1] as SelValue);
      return prev;
    }
    case 'size/0':
      return BigInt(m.entries.size);
    case 'isEmpty/0':
      return m.entries.size === 0;
    default:
      throw noMethod('MAP', name, args);
  }
}

export function newMap(args: SelValue[]): SelMap {
  if (args.length !== 0) throw noMethod('MAP', 'constructor', args);
  return new SelMap();
}
