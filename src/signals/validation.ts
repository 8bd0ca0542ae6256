import { ValidationError } from '../model/errors.js';
import type { Issue, JsonPath } from '../model/issue.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import type { SignalAnnouncement } from '../model/signal.js';

/** The sizes a signal may have: a signal is a small notice, its params are what triggers and waits match on. */
export const SIGNAL_LIMITS = Object.freeze({
  nameLength: 256,
  params: 64,
  paramNameLength: 128,
  stringValueLength: 1024,
  stringValueBytes: 1024,
  requestIdLength: 128,
  /** The payload as JSON, in characters. */
  payloadChars: 64 * 1024,
});

/** A name of a signal or of a param: not empty, at most `max` characters, no control characters. */
function nameProblem(name: unknown, max: number): string | undefined {
  if (typeof name !== 'string') return `must be a string, not ${describe(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (name.length > max) return `must be at most ${max} characters, not ${name.length}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' && !Number.isInteger(value)
    ? `the fraction ${value}`
    : `a ${typeof value}`;
}

function paramProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.length > SIGNAL_LIMITS.stringValueLength)
      return `a STRING value must be at most ${SIGNAL_LIMITS.stringValueLength} characters, not ${value.length}`;
    // Indexed for matching: the byte bound keeps an index entry within what every store takes.
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > SIGNAL_LIMITS.stringValueBytes)
      return `a STRING value must be at most ${SIGNAL_LIMITS.stringValueBytes} bytes in UTF-8, not ${bytes}`;
    return value.includes('\u0000') ? 'a STRING value cannot hold the NUL character (\\u0000)' : undefined;
  }
  if (typeof value === 'number')
    return Number.isSafeInteger(value)
      ? undefined
      : `a LONG value must be a whole number from -(2^53-1) to 2^53-1, not ${value}`;
  return `must be a string (STRING) or a whole number (LONG), not ${describe(value)}`;
}

function checkParams(params: unknown, issues: Issue[]): void {
  if (params === undefined) return;
  const at = (...more: (string | number)[]): JsonPath => ['params', ...more];
  if (!isJsonObject(params)) {
    issues.push(issue(at(), `params must be an object of name → value, not ${describe(params)}`));
    return;
  }
  const entries = Object.entries(params);
  if (entries.length > SIGNAL_LIMITS.params)
    issues.push(issue(at(), `a signal has at most ${SIGNAL_LIMITS.params} params, not ${entries.length}`));
  for (const [name, value] of entries) {
    const bad = nameProblem(name, SIGNAL_LIMITS.paramNameLength);
    if (bad) issues.push(issue(at(name), `param name '${name.slice(0, 40)}' ${bad}`));
    const wrong = paramProblem(value);
    if (wrong) issues.push(issue(at(name), `param '${name.slice(0, 40)}' ${wrong}`));
  }
}

function checkPayload(payload: unknown, issues: Issue[]): void {
  if (payload === undefined) return;
  if (!isJsonObject(payload)) {
    issues.push(issue(['payload'], `payload must be an object, not ${describe(payload)}`));
    return;
  }
  const json = JSON.stringify(payload);
  // Stores keep text without NUL (PostgreSQL's text and jsonb refuse it); JSON spells it as \u0000.
  if (json.includes('\\u0000'))
    issues.push(issue(['payload'], 'payload cannot hold the NUL character (\\u0000) in a string'));
  const chars = json.length;
  if (chars > SIGNAL_LIMITS.payloadChars)
    issues.push(
      issue(
        ['payload'],
        `payload must be at most ${SIGNAL_LIMITS.payloadChars} characters of JSON, not ${chars}`,
      ),
    );
}

function checkRequest(a: SignalAnnouncement, issues: Issue[]): void {
  const id: unknown = a.request_id;
  if (id !== undefined) {
    const bad = nameProblem(id, SIGNAL_LIMITS.requestIdLength);
    if (bad) issues.push(issue(['request_id'], `request_id ${bad}`));
  }
  const time: unknown = a.request_time;
  if (time !== undefined && !(typeof time === 'number' && Number.isSafeInteger(time) && time >= 0))
    issues.push(issue(['request_time'], `request_time must be epoch milliseconds (a whole number ≥ 0)`));
}

function issue(path: JsonPath, message: string): Issue {
  return { code: 'INVALID_SIGNAL', path, message };
}

/**
 * Checks an announcement as it came (from JSON, a message, a step's outputs): every problem at once, each with the
 * field it is in. Throws `ValidationError` when there is one; returns the announcement typed as valid otherwise.
 */
export function validateAnnouncement(input: unknown): SignalAnnouncement & { readonly payload: JsonObject } {
  if (!isJsonObject(input))
    throw new ValidationError('a signal must be an object', [
      issue([], `a signal must be an object, not ${describe(input)}`),
    ]);
  const a = input as unknown as SignalAnnouncement;
  const issues: Issue[] = [];
  const bad = nameProblem(a.name, SIGNAL_LIMITS.nameLength);
  if (bad) issues.push(issue(['name'], `the signal name ${bad}`));
  checkParams(a.params, issues);
  checkPayload(a.payload, issues);
  checkRequest(a, issues);
  if (issues.length > 0)
    throw new ValidationError(
      `bad signal${typeof a.name === 'string' ? ` '${a.name.slice(0, 80)}'` : ''}: ${issues[0]!.message}`,
      issues,
    );
  return { ...a, payload: a.payload ?? {} } as SignalAnnouncement & { readonly payload: JsonObject };
}
