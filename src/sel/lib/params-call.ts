import type { Runtime } from '../runtime.js';
import type { SelValue } from '../values.js';
import { classCast, noMethod } from './common.js';

function name(v: SelValue | undefined): string {
  if (typeof v !== 'string') throw classCast(v ?? null, 'java.lang.String');
  return v;
}

/** The `params` object: Maestro's PRESET_PARAMS. Calls go to the SelParams the caller provided. */
export function paramsMethod(rt: Runtime, method: string, args: SelValue[]): SelValue {
  const p = rt.params;
  const [a, b, c] = args;
  switch (`${method}/${args.length}`) {
    case 'get/1':
      return rt.box(p.get(name(a)));
    case 'containsKey/1':
      return p.containsKey(name(a));
    case 'getFromStep/1':
      return rt.box(p.getFromStep(name(a)));
    case 'getFromStep/2':
      return rt.box(p.getFromStep(name(a), name(b)));
    case 'getFromSignal/1':
      return rt.box(p.getFromSignal(name(a)));
    case 'getFromSignal/2':
      return rt.box(p.getFromSignal(name(a), name(b)));
    case 'getFromSignalOrDefault/3':
      return rt.box(p.getFromSignalOrDefault(name(a), name(b), c ?? null));
    case 'getFromSignalDependency/2':
      // Maestro's code looks dependencies up by their 0-based index, passed as a string; accept a LONG too.
      return rt.box(p.getFromSignalDependency(typeof a === 'bigint' ? a.toString() : name(a), name(b)));
    case 'getFromForeach/3':
      return rt.box(p.getFromForeach(name(a), name(b), name(c)));
    case 'getFromSubworkflow/3':
      return rt.box(p.getFromSubworkflow(name(a), name(b), name(c)));
    case 'getFromInstance/1':
      return rt.box(p.getFromInstance(name(a)));
    case 'nextUniqueId/0':
      return rt.box(p.nextUniqueId());
    case 'getExecutionEnvironment/0':
      return rt.box(p.getExecutionEnvironment());
    default:
      throw noMethod('PRESET_PARAMS', method, args);
  }
}
