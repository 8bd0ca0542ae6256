import { selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { DECL_TYPES, lookupType } from '../types.js';
import {
  SelArray,
  SelClass,
  SelDateTime,
  SelDays,
  SelFormatter,
  SelMap,
  SelProperty,
  SelUuid,
  SelZone,
  typeOf,
  type SelValue,
} from '../values.js';
import { noField, noMethod } from './common.js';
import {
  dateTimeMethod,
  dateTimeStatic,
  daysMethod,
  formatterMethod,
  formatterStatic,
  newDateTime,
  propertyMethod,
  zoneField,
  zoneMethod,
} from './datetime.js';
import { mapMethod, newMap } from './map.js';
import {
  booleanMethod,
  doubleMethod,
  longMethod,
  mathMethod,
  miscField,
  miscMethod,
  uuidMethod,
} from './number.js';
import { paramsMethod } from './params-call.js';
import { newString, stringMethod } from './string.js';
import { utilMethod } from './util.js';

/**
 * Method calls. Dispatch is on the receiver's SEL type and then on the method name through `switch` tables in
 * each library module, so a script can only ever reach the methods listed there: no JS property is looked up by
 * a user-chosen name.
 */
export function callMethod(rt: Runtime, recv: SelValue, name: string, args: SelValue[]): SelValue {
  if (recv === null) throw noMethod('NULL', name, args);
  switch (typeof recv) {
    case 'string':
      return stringMethod(rt, recv, name, args);
    case 'bigint':
      return longMethod(recv, name, args, false);
    case 'number':
      return doubleMethod(recv, name, args);
    case 'boolean':
      return booleanMethod(recv, name, args);
    case 'symbol':
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (recv instanceof SelClass) return staticMethod(rt, recv, name, args);
  if (recv instanceof SelMap) return mapMethod(rt, recv, name, args);
  if (recv instanceof SelDateTime) return dateTimeMethod(rt, recv, name, args);
  if (recv instanceof SelZone) return zoneMethod(recv, name, args);
  if (recv instanceof SelFormatter) return formatterMethod(rt, recv, name, args);
  if (recv instanceof SelProperty) return propertyMethod(recv, name, args);
  if (recv instanceof SelDays) return daysMethod(recv, name, args);
  if (recv instanceof SelUuid) return uuidMethod(rt, recv, name, args);
  throw noMethod(typeOf(recv), name, args);
}

function staticMethod(rt: Runtime, cls: SelClass, name: string, args: SelValue[]): SelValue {
  switch (cls.name) {
    case 'String':
      return stringMethod(rt, null, name, args);
    case 'Long':
      return longMethod(null, name, args, false);
    case 'Integer':
      return longMethod(null, name, args, true);
    case 'Double':
      return doubleMethod(null, name, args);
    case 'Boolean':
      return booleanMethod(null, name, args);
    case 'Math':
      return mathMethod(rt, name, args);
    case 'UUID':
      return uuidMethod(rt, null, name, args);
    case 'System':
    case 'Arrays':
    case 'DateTimeConstants':
      return miscMethod(rt, cls.name, name, args);
    case 'Util':
      return utilMethod(rt, name, args);
    case 'params':
      return paramsMethod(rt, name, args);
    case 'DateTime':
      return dateTimeStatic(rt, name, args);
    case 'DateTimeZone':
      return zoneMethod(null, name, args);
    case 'DateTimeFormat':
    case 'DateTimeFormatter':
      return formatterStatic(name, args);
    case 'Days':
      return daysMethod(null, name, args);
  }
}

/** Field reads: `array.length`, `DateTimeZone.UTC`, `DateTimeConstants.X`. */
export function getField(target: SelValue, name: string): SelValue {
  if (target instanceof SelArray && name === 'length') return BigInt(target.items.length);
  if (target instanceof SelClass) {
    if (target.name === 'DateTimeZone') return zoneField(name);
    if (target.name === 'DateTimeConstants' || target.name === 'System' || target.name === 'Arrays')
      return miscField(target.name, name);
  }
  if (target instanceof SelZone) return zoneField(name);
  throw noField(typeOf(target), name);
}

/** `new T(args)` for the classes that have constructors in SEL. */
export function construct(rt: Runtime, type: string, args: SelValue[]): SelValue {
  switch (type) {
    case 'String':
      return newString(args);
    case 'Map':
    case 'HashMap':
    case 'LinkedHashMap':
      return newMap(args);
    case 'DateTime':
      return newDateTime(rt, args);
    default:
      break;
  }
  const known = lookupType(DECL_TYPES, type);
  if (known !== undefined)
    throw selError('UNSUPPORTED_OPERATION', `${known} DO NOT support calling constructor`);
  throw selError(
    'UNSUPPORTED_CLASS',
    `SEL does not include class:  ${type}. Please check the manual for supported classes`,
  );
}
