import { isJsonObject, type JsonObject, type JsonValue } from '../../model/json.js';
import type { SignalAnnouncement, SignalParamValue } from '../../model/signal.js';
import type { SignalMapping } from './config.js';

/** One message as a source received it, before it is read. */
export interface InboundMessage {
  /** The raw body. */
  readonly body: Buffer | string;
  /** The broker's id of the message (stable across redeliveries), when it has one. */
  readonly brokerId?: string;
  /** Where it came from (subject, sequence, routing key, delivery count…): kept with a parked message. */
  readonly details: JsonObject;
}

/** A message that no retry will turn into a signal: it is parked with this reason, and acknowledged. */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or undefined when it is not valid UTF-8. */
export function bodyText(body: Buffer | string): string | undefined {
  if (typeof body === 'string') return body;
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * Reads a message into a signal announcement as `mapping` says (docs/signal-sources.md): the message is a JSON
 * object; the name is fixed or read from it; each param, the payload and the request id come from JSON Pointers
 * into it. Anything the message lacks, or has of the wrong type, is a `MalformedMessage` saying what and where.
 * The request id is the message's own when mapped, else `<source>:<broker id>`, so a redelivery is DUPLICATED.
 */
export function readMessage(
  source: string,
  mapping: SignalMapping,
  message: InboundMessage,
): SignalAnnouncement {
  const json = parseObject(message.body);
  const name = mapping.name ?? signalName(json, mapping.name_from!);
  const params: Record<string, SignalParamValue> = {};
  for (const [param, pointer] of Object.entries(mapping.params ?? {})) {
    params[param] = paramValue(json, pointer, `param '${param}'`);
  }
  const payload = payloadOf(json, mapping.payload ?? '');
  const requestId =
    mapping.request_id === undefined
      ? message.brokerId && `${source}:${message.brokerId}`
      : String(paramValue(json, mapping.request_id, 'the request id'));
  return {
    name,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    payload,
    ...(requestId === undefined ? {} : { request_id: requestId }),
  };
}

function parseObject(body: Buffer | string): JsonObject {
  const text = bodyText(body);
  if (text === undefined) throw new MalformedMessage('the message is not UTF-8 text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedMessage(`the message is not JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(value))
    throw new MalformedMessage(`the message is JSON but not an object (it is ${kindOf(value as JsonValue)})`);
  return value;
}

function signalName(json: JsonObject, pointer: string): string {
  const value = at(json, pointer);
  if (typeof value !== 'string' || value === '')
    throw new MalformedMessage(
      value === undefined
        ? `the message has no signal name: nothing at ${pointer}`
        : `the signal name at ${pointer} is ${kindOf(value)}, not a non-empty string`,
    );
  return value;
}

function paramValue(json: JsonObject, pointer: string, what: string): SignalParamValue {
  const value = at(json, pointer);
  if (typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))) return value;
  throw new MalformedMessage(
    value === undefined
      ? `${what}: the message has nothing at ${pointer}`
      : `${what}: the value at ${pointer} is ${kindOf(value)}; it must be a string or a safe integer`,
  );
}

function payloadOf(json: JsonObject, pointer: string): JsonObject {
  const value = at(json, pointer);
  if (isJsonObject(value)) return value;
  throw new MalformedMessage(
    value === undefined
      ? `the payload: the message has nothing at ${pointer}`
      : `the payload at ${pointer} is ${kindOf(value)}; it must be an object`,
  );
}

/** The value at a JSON Pointer (RFC 6901), or undefined when the message has nothing there. */
export function at(json: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '') return json;
  let current: JsonValue | undefined = json;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isJsonObject(current)) current = Object.hasOwn(current, key) ? current[key] : undefined;
    else if (Array.isArray(current))
      current = /^(0|[1-9][0-9]*)$/.test(key) ? (current as readonly JsonValue[])[Number(key)] : undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value} (too large)` : `the number ${value}`;
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
