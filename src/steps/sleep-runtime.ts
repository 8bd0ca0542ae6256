import { DEFAULTS } from '../model/limits.js';
import type { JsonValue } from '../model/json.js';
import type { StepContext, StepResult, StepRuntime } from './runtime.js';

/**
 * Sleep: waits `sleep_seconds` (default 3) × `time_scale`, measured from the attempt's `start_time`. It never holds a
 * worker: until the time is up it answers `continue` with `nextPollMs` set to the time left, and the engine's durable
 * timer calls it again. Because the deadline comes from `start_time`, a re-run after a crash finishes on time.
 */
export function createSleepRuntime(): StepRuntime {
  return { execute: (context) => Promise.resolve(poll(context)) };
}

function poll(context: StepContext): StepResult {
  if (context.signal.aborted) return { state: 'stopped' };
  const seconds = readSleepSeconds(context.params['sleep_seconds']);
  if (typeof seconds === 'string') return { state: 'user_error', message: seconds };
  const remaining = context.start_time + seconds * 1000 * context.time_scale - context.now();
  if (remaining <= 0) return { state: 'done' };
  return { state: 'continue', nextPollMs: Math.ceil(remaining) };
}

/** Returns the seconds, or an error message. A numeric string is accepted because LONG params may arrive as text. */
function readSleepSeconds(raw: JsonValue | undefined): number | string {
  if (raw === undefined || raw === null) return DEFAULTS.sleepSeconds;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return `sleep_seconds must be a non-negative number of seconds, got ${JSON.stringify(raw)}`;
  }
  return value;
}
