import { describe, expect, it } from 'vitest';
import type { TimeTrigger } from '../model/trigger.js';
import { DEFAULT_CATCH_UP, parseCatchUp, type CatchUp } from './catch-up.js';
import { fuzzyDelayMs, nextDue, planFires, scheduleOf, type TriggerSchedule } from './fire-times.js';
import { fireRequestId, nameUuid, timeTriggerUuid } from './ids.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

function schedule(trigger: TimeTrigger, workflowId = 'wf'): TriggerSchedule {
  const s = scheduleOf(trigger, workflowId);
  if (!s) throw new Error(`no schedule for ${JSON.stringify(trigger)}`);
  return s;
}
const runs = (trigger: TimeTrigger, from: string, n: number): string[] =>
  schedule(trigger)
    .cron.after(Date.parse(from), n)
    .map((t) => new Date(t).toISOString());

describe('fire times', () => {
  it('US/Pacific spring forward: 02:30 does not exist on 10 March 2024 and fires at 03:00 PDT', () => {
    const trigger: TimeTrigger = { type: 'CRON', cron: '30 2 * * *', timezone: 'US/Pacific' };
    expect(runs(trigger, '2024-03-09T00:00:00Z', 3)).toEqual([
      '2024-03-09T10:30:00.000Z', // 02:30 PST
      '2024-03-10T10:00:00.000Z', // the gap: 03:00 PDT
      '2024-03-11T09:30:00.000Z', // 02:30 PDT
    ]);
  });

  it('US/Pacific fall back: 01:30 happens twice on 3 November 2024 and fires once, at the first', () => {
    const trigger: TimeTrigger = { type: 'CRON', cron: '30 1 * * *', timezone: 'US/Pacific' };
    expect(runs(trigger, '2024-11-02T00:00:00Z', 3)).toEqual([
      '2024-11-02T08:30:00.000Z',
      '2024-11-03T08:30:00.000Z', // 01:30 PDT; not again at 01:30 PST (09:30Z)
      '2024-11-04T09:30:00.000Z',
    ]);
  });

  it('an hourly cron keeps firing every real hour through the fall-back hour', () => {
    const trigger: TimeTrigger = { type: 'CRON', cron: '0 * * * *', timezone: 'US/Pacific' };
    expect(runs(trigger, '2024-11-03T07:30:00Z', 3)).toEqual([
      '2024-11-03T08:00:00.000Z', // 01:00 PDT
      '2024-11-03T09:00:00.000Z', // 01:00 PST
      '2024-11-03T10:00:00.000Z', // 02:00 PST
    ]);
  });

  it('Quartz 7 fields: noon every day in US/Pacific, following daylight saving time', () => {
    const trigger: TimeTrigger = { type: 'CRON', cron: '0 0 12 1/1 * ? *', timezone: 'US/Pacific' };
    expect(runs(trigger, '2024-03-09T00:00:00Z', 2)).toEqual([
      '2024-03-09T20:00:00.000Z', // noon PST
      '2024-03-10T19:00:00.000Z', // noon PDT
    ]);
  });

  it('@daily in Asia/Tokyo is midnight there, 15:00 UTC the day before', () => {
    const trigger: TimeTrigger = { type: 'PREDEFINED', expression: '@daily', timezone: 'Asia/Tokyo' };
    expect(runs(trigger, '2024-01-01T00:00:00Z', 2)).toEqual([
      '2024-01-01T15:00:00.000Z',
      '2024-01-02T15:00:00.000Z',
    ]);
  });

  it('a trigger without a zone reads its cron in UTC', () => {
    expect(runs({ type: 'PREDEFINED', expression: '@hourly' }, '2024-01-01T00:10:00Z', 1)).toEqual([
      '2024-01-01T01:00:00.000Z',
    ]);
  });
});

describe('fuzzy_max_delay', () => {
  const fuzzy: TimeTrigger = {
    type: 'CRON',
    cron: '*/2 * * * *',
    timezone: 'US/Pacific',
    fuzzy_max_delay: '30s',
  };

  it('is a whole number of seconds below the maximum, the same every time, and differs between workflows', () => {
    const delays = Array.from({ length: 200 }, (_, i) => fuzzyDelayMs(fuzzy, `wf-${i}`));
    for (const d of delays) {
      expect(d % 1000).toBe(0);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(30_000);
    }
    expect(fuzzyDelayMs(fuzzy, 'wf-7')).toBe(delays[7]);
    expect(new Set(delays).size).toBeGreaterThan(20); // spread over the 30 possible seconds
  });

  it('delays every fire of */2 by the same amount: due at the scheduled time plus the delay', () => {
    const delay = fuzzyDelayMs(fuzzy, 'wf');
    const watermark = at('2024-01-01T00:00:00Z');
    expect(nextDue('wf', [{ trigger: fuzzy, watermark }])).toBe(at('2024-01-01T00:02:00Z') + delay);
    // Not yet due a moment before the delay has passed; due (RUN_TS the scheduled time) once it has.
    const before = planFires(
      'wf',
      [{ trigger: fuzzy, watermark }],
      at('2024-01-01T00:02:00Z') + delay - 1,
      DEFAULT_CATCH_UP,
    );
    expect(before.fires).toEqual([]);
    const plan = planFires(
      'wf',
      [{ trigger: fuzzy, watermark }],
      at('2024-01-01T00:02:00Z') + delay,
      DEFAULT_CATCH_UP,
    );
    expect(plan.fires.map((f) => iso(f.time))).toEqual(['2024-01-01T00:02:00.000Z']);
    expect(plan.next).toBe(at('2024-01-01T00:04:00Z') + delay);
  });

  it('reads a bare number as seconds, and no delay without the field', () => {
    expect(fuzzyDelayMs({ ...fuzzy, fuzzy_max_delay: 1 }, 'wf')).toBe(0); // below 1 s there is only 0
    expect(fuzzyDelayMs({ type: 'CRON', cron: '*/2 * * * *' }, 'wf')).toBe(0);
    expect(fuzzyDelayMs({ ...fuzzy, fuzzy_max_delay: 3600 }, 'wf')).toBeLessThan(3_600_000);
  });
});

describe('catch-up after downtime', () => {
  const every2: TimeTrigger = { type: 'CRON', cron: '*/2 * * * *' };
  const watermark = at('2024-01-01T00:00:00Z');
  const now = at('2024-01-01T01:00:30Z'); // 30 fire times missed, the last due 30 s ago
  const plan = (catchUp: CatchUp, when = now) =>
    planFires('wf', [{ trigger: every2, watermark }], when, catchUp);

  it('latest (the default) fires the newest missed time once and moves past the others', () => {
    const p = plan(DEFAULT_CATCH_UP);
    expect(p.fires.map((f) => iso(f.time))).toEqual(['2024-01-01T01:00:00.000Z']);
    expect(p.triggers[0]!.watermark).toBe(at('2024-01-01T01:00:00Z'));
    expect(p.next).toBe(at('2024-01-01T01:02:00Z'));
  });

  it('all fires every missed time, oldest first, at most maxPerWake per wake, then looks again at once', () => {
    const p = plan({ policy: 'all', maxPerWake: 100 });
    expect(p.fires).toHaveLength(30);
    expect(iso(p.fires[0]!.time)).toBe('2024-01-01T00:02:00.000Z');
    expect(iso(p.fires[29]!.time)).toBe('2024-01-01T01:00:00.000Z');
    const bounded = plan({ policy: 'all', maxPerWake: 10 });
    expect(bounded.fires).toHaveLength(10);
    expect(bounded.triggers[0]!.watermark).toBe(at('2024-01-01T00:20:00Z'));
    expect(bounded.next).toBe(now);
  });

  it('none fires nothing that was missed, only a time that is on time', () => {
    const late = plan({ policy: 'none', maxPerWake: 100 }, at('2024-01-01T01:01:30Z'));
    expect(late.fires).toEqual([]);
    expect(late.triggers[0]!.watermark).toBe(at('2024-01-01T01:00:00Z'));
    expect(plan({ policy: 'none', maxPerWake: 100 }).fires).toHaveLength(1); // due 30 s ago: on time
  });

  it('reads the policy names and refuses others', () => {
    expect(parseCatchUp('ALL')).toEqual({ catchUp: { policy: 'all', maxPerWake: 100 } });
    expect(parseCatchUp('sometimes')).toEqual({
      error: "the trigger catch-up policy is one of latest, all, none, not 'sometimes'",
    });
  });
});

describe('ids', () => {
  it('nameUuid is Java nameUUIDFromBytes (version 3)', () => {
    // UUID.nameUUIDFromBytes("hello".getBytes(UTF_8)) in Java
    expect(nameUuid('hello')).toBe('5d41402a-bc4b-3a76-b971-9d911017c592');
  });

  it('a fire is the same request in every process and a different one a second later or for another trigger', () => {
    const t: TimeTrigger = { type: 'CRON', cron: '*/2 * * * *' };
    const id = fireRequestId('wf', t, at('2024-01-01T00:02:00Z'));
    expect(fireRequestId('wf', { cron: '*/2 * * * *', type: 'CRON' }, at('2024-01-01T00:02:00Z'))).toBe(id);
    expect(fireRequestId('wf', t, at('2024-01-01T00:02:01Z'))).not.toBe(id);
    expect(fireRequestId('wf2', t, at('2024-01-01T00:02:00Z'))).not.toBe(id);
    expect(timeTriggerUuid([t])).not.toBe(timeTriggerUuid([t, t]));
  });
});
