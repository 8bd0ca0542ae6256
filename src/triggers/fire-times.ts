import { createHash } from 'node:crypto';
import { compileCron, type CompiledCron } from '../dsl/cron.js';
import { parseDurationMillis } from '../model/duration.js';
import type { TimeTrigger } from '../model/trigger.js';
import type { TriggerWatermark } from '../store/port.js';
import type { CatchUp } from './catch-up.js';

/**
 * When time triggers fire (REFERENCE §7.1, docs/triggers.md). A trigger's scheduled times are its cron's, read as
 * wall-clock times in its time zone (croner: a time skipped by a spring-forward fires at the first instant after
 * the gap; a time repeated by a fall-back fires once, at its first occurrence). Each fire is due at its scheduled
 * time plus the trigger's fuzzy delay, fixed per (trigger, workflow). Times are epoch ms; cron times are whole seconds.
 */

/** A trigger of one workflow, ready to compute with: its cron, its zone and its fuzzy delay for that workflow. */
export interface TriggerSchedule {
  readonly trigger: TimeTrigger;
  readonly timezone: string;
  readonly cron: SharedCron;
  /** Added to every scheduled time of this trigger for this workflow (ms, whole seconds). */
  readonly delayMs: number;
}

/** One run to start: the scheduled time (RUN_TS, the request id) of one trigger. */
export interface Fire {
  readonly trigger: TimeTrigger;
  readonly timezone: string;
  readonly time: number;
}

/** How late a fire may be handled and still count as on time for `--trigger-catch-up none`. */
export const ON_TIME_GRACE_MS = 60_000;

/**
 * A cron compiled once per (expression, zone) and shared by every workflow that uses it, with its answers
 * remembered: a storm of 10,000 workflows on one cron second asks the same two questions 10,000 times.
 */
export interface SharedCron {
  /** The first scheduled time strictly after `after`. */
  next(after: number): number | undefined;
  /** The newest scheduled time at or before `at`. */
  newest(at: number): number | undefined;
  /** Up to `count` scheduled times strictly after `after`, oldest first. */
  after(after: number, count: number): number[];
}

const CACHE_LIMIT = 10_000;
const crons = new Map<string, SharedCron | undefined>();

function sharedCron(expression: string, timezone: string): SharedCron | undefined {
  const key = `${timezone}\u0000${expression}`;
  if (crons.has(key)) return crons.get(key);
  const result = compileCron(expression, timezone);
  const shared = result.ok ? remembering(result.cron) : undefined;
  if (crons.size >= CACHE_LIMIT) crons.clear();
  crons.set(key, shared);
  return shared;
}

function remembering(cron: CompiledCron): SharedCron {
  const nexts = new Map<number, number | undefined>();
  const newests = new Map<number, number | undefined>();
  const remember = <T>(map: Map<number, T>, key: number, compute: () => T): T => {
    if (map.has(key)) return map.get(key)!;
    const value = compute();
    if (map.size >= CACHE_LIMIT) map.clear();
    map.set(key, value);
    return value;
  };
  return {
    next: (after) => remember(nexts, after, () => cron.nextRuns(1, new Date(after))[0]?.getTime()),
    // Scheduled times are whole seconds: the newest at or before `at` is the newest strictly before the next second.
    newest: (at) => {
      const second = Math.floor(at / 1000) * 1000;
      return remember(newests, second, () => cron.previousRuns(1, new Date(second + 1000))[0]?.getTime());
    },
    after: (after, count) => cron.nextRuns(count, new Date(after)).map((d) => d.getTime()),
  };
}

/** The schedule of a trigger of a workflow; undefined if it has no cron (INTERVAL, or one that does not compile). */
export function scheduleOf(trigger: TimeTrigger, workflowId: string): TriggerSchedule | undefined {
  const expression = trigger.type === 'PREDEFINED' ? trigger.expression : trigger.cron;
  if (expression === undefined || trigger.type === 'INTERVAL') return undefined;
  const timezone = trigger.timezone ?? 'UTC';
  const cron = sharedCron(expression, timezone);
  return cron && { trigger, timezone, cron, delayMs: fuzzyDelayMs(trigger, workflowId) };
}

/** A trigger's identity: its definition as JSON with sorted keys (the same trigger always gives the same text). */
export function triggerKey(trigger: TimeTrigger): string {
  return JSON.stringify(trigger, Object.keys(trigger).sort());
}

/**
 * The fuzzy delay (REFERENCE §7.1): a whole number of seconds below `fuzzy_max_delay`, drawn once from a PRNG seeded
 * by a hash of the trigger and the workflow id, so every process and every fire agree on it. Not Java's numbers.
 */
export function fuzzyDelayMs(trigger: TimeTrigger, workflowId: string): number {
  const max = trigger.fuzzy_max_delay;
  const maxMs =
    typeof max === 'number' ? max * 1000 : max === undefined ? 0 : (parseDurationMillis(max) ?? 0);
  const maxSeconds = Math.floor(maxMs / 1000);
  if (maxSeconds <= 0) return 0;
  const seed = createHash('sha256')
    .update(`${triggerKey(trigger)}${workflowId}`)
    .digest()
    .readUInt32BE(0);
  return Math.floor(mulberry32(seed)() * maxSeconds) * 1000;
}

/** A small seeded PRNG (Mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** When the next fire of these triggers is due (scheduled time plus delay), after their watermarks. */
export function nextDue(workflowId: string, triggers: readonly TriggerWatermark[]): number | undefined {
  let next: number | undefined;
  for (const { trigger, watermark } of triggers) {
    const schedule = scheduleOf(trigger, workflowId);
    const time = schedule?.cron.next(watermark);
    if (time !== undefined && (next === undefined || time + schedule!.delayMs < next))
      next = time + schedule!.delayMs;
  }
  return next;
}

export interface FirePlan {
  readonly fires: readonly Fire[];
  /** The watermarks once these fires are handled. */
  readonly triggers: readonly TriggerWatermark[];
  /** When to look again: the next fire due, or now when `all` left some for the next wake. */
  readonly next?: number;
}

/**
 * What to fire at `now` for one workflow: per trigger, the scheduled times after its watermark that are due, chosen
 * by the catch-up policy (docs/triggers.md): `all` fires each (at most `maxPerWake` per trigger per wake, oldest
 * first), `latest` the newest only, `none` the newest only if it is on time (due at most `ON_TIME_GRACE_MS` ago).
 * The watermark moves to the newest due time either way, so skipped times never fire later.
 */
export function planFires(
  workflowId: string,
  triggers: readonly TriggerWatermark[],
  now: number,
  catchUp: CatchUp,
): FirePlan {
  const fires: Fire[] = [];
  const after: TriggerWatermark[] = [];
  let more = false;
  for (const entry of triggers) {
    const schedule = scheduleOf(entry.trigger, workflowId);
    if (!schedule) {
      after.push(entry);
      continue;
    }
    const due = dueTimes(schedule, entry.watermark, now, catchUp);
    more ||= due.more;
    for (const time of due.fire) fires.push({ trigger: entry.trigger, timezone: schedule.timezone, time });
    after.push({ trigger: entry.trigger, watermark: due.watermark });
  }
  const next = more ? now : nextDue(workflowId, after);
  return { fires, triggers: after, ...(next === undefined ? {} : { next }) };
}

function dueTimes(
  schedule: TriggerSchedule,
  watermark: number,
  now: number,
  catchUp: CatchUp,
): { fire: number[]; watermark: number; more: boolean } {
  const newest = schedule.cron.newest(now - schedule.delayMs);
  if (newest === undefined || newest <= watermark) return { fire: [], watermark, more: false };
  if (catchUp.policy === 'latest') return { fire: [newest], watermark: newest, more: false };
  if (catchUp.policy === 'none') {
    const onTime = now - (newest + schedule.delayMs) <= ON_TIME_GRACE_MS;
    return { fire: onTime ? [newest] : [], watermark: newest, more: false };
  }
  const times = schedule.cron.after(watermark, catchUp.maxPerWake).filter((t) => t <= newest);
  const last = times[times.length - 1] ?? watermark;
  return { fire: times, watermark: last, more: last < newest };
}
