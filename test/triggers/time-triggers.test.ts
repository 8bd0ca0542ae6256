// Time triggers through the whole of one Baton process (engine, scheduler, API) on a SQLite file, with the fake
// clock: sample-time-trigger-wf as REFERENCE §7.1 describes it, the active version only, what stops triggers, and
// catch-up after the scheduler was down.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import type { JsonObject } from '../../src/model/json.js';
import type { CatchUp } from '../../src/triggers/catch-up.js';
import { fireRequestId } from '../../src/triggers/ids.js';
import { hasShared, SHARED_SKIP_REASON } from '../support/shared.js';
import { sample, tempDir, TriggerHarness } from './harness.js';

const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);

let dir: ReturnType<typeof tempDir>;
const opened: TriggerHarness[] = [];
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
  dir.remove();
});

async function open(clock: FakeClock, options: Parameters<typeof TriggerHarness.open>[2] = {}) {
  const h = await TriggerHarness.open(path.join(dir.dir, 'baton.db'), clock, options);
  opened.push(h);
  return h;
}

function every2(id: string, cron = '*/2 * * * *', extra: JsonObject = {}): JsonObject {
  return {
    properties: { owner: 'tester' },
    ...extra,
    workflow: {
      id,
      time_triggers: [{ type: 'CRON', cron }],
      steps: [{ step: { id: 'a', type: 'NoOp' } }],
    },
  };
}

describe.skipIf(!hasShared)('sample-time-trigger-wf', () => {
  it('each trigger starts one instance per fire time, TIME-initiated, with RUN_TS and dates from the scheduled time', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(sample('sample-time-trigger-wf'));
    const id = 'sample-time-trigger-wf';
    const state = await h.state(id);
    expect(state?.triggers.map((t) => t.watermark)).toEqual([clock.now(), clock.now(), clock.now()]);

    // */2 in US/Pacific with a fuzzy delay under 30 s: 00:02 is due by 00:02:30, 00:04 not before 00:04.
    await h.advance(150_000, [id]);
    let runs = await h.instances(id);
    expect(runs).toHaveLength(1);
    const first = runs[0]!;
    expect(first.initiator).toEqual({
      type: 'TIME',
      trigger_uuid: state!.trigger_uuid,
      trigger_time: at('2024-01-15T00:02:00Z'),
      timezone: 'US/Pacific',
    });
    const every2 = state!.triggers[2]!.trigger;
    expect(first.request_id).toBe(fireRequestId(id, every2, at('2024-01-15T00:02:00Z')));
    expect(await h.params(first)).toMatchObject({
      RUN_TS: at('2024-01-15T00:02:00Z'),
      WORKFLOW_CRON_TIMEZONE: 'US/Pacific',
      TARGET_RUN_DATE: 20240114, // 16:02 PST on the 14th
      TARGET_RUN_HOUR: '16',
    });

    // Tokyo's midnight is 15:00 UTC: @daily fires, and */2 (14 hours missed: latest only) fires 15:00 once.
    await h.advance(at('2024-01-15T15:00:45Z') - clock.now(), [id]);
    runs = await h.instances(id);
    expect(
      runs
        .slice(1)
        .map((r) => [r.initiator['timezone'], r.initiator['trigger_time']])
        .sort(),
    ).toEqual([
      ['Asia/Tokyo', at('2024-01-15T15:00:00Z')],
      ['US/Pacific', at('2024-01-15T15:00:00Z')],
    ]);
    const tokyo = runs.find((r) => r.initiator['timezone'] === 'Asia/Tokyo')!;
    expect(await h.params(tokyo)).toMatchObject({
      RUN_TS: at('2024-01-15T15:00:00Z'),
      WORKFLOW_CRON_TIMEZONE: 'Asia/Tokyo',
      TARGET_RUN_DATE: 20240116,
      TARGET_RUN_HOUR: '00',
    });

    // Noon in US/Pacific (Quartz, 7 fields) is 20:00 UTC in January.
    await h.advance(at('2024-01-15T20:00:45Z') - clock.now(), [id]);
    runs = await h.instances(id);
    expect(runs).toHaveLength(5);
    const noon = runs
      .slice(3)
      .find(
        (r) => r.request_id === fireRequestId(id, state!.triggers[0]!.trigger, at('2024-01-15T20:00:00Z')),
      );
    expect(noon).toBeDefined();
    expect(await h.params(noon!)).toMatchObject({ TARGET_RUN_DATE: 20240115, TARGET_RUN_HOUR: '12' });
    expect(runs.map((r) => r.instance_id)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(runs.map((r) => r.request_id)).size).toBe(5);
  });
});
describe.skipIf(hasShared)(SHARED_SKIP_REASON, () => {
  it('needs the Maestro samples', () => undefined);
});

describe('which version fires, and what stops it', () => {
  it('only the active version fires; activating another switches to its triggers from then on', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(every2('wf'));
    await h.create({ ...every2('wf', '1-59/2 * * * *'), is_active: false });
    await h.advance(2 * MINUTE, ['wf']); // 00:02:30: v1's 00:02
    await h.api('PUT', '/workflows/wf/versions/2/actions/activate');
    await h.advance(MINUTE, ['wf']); // 00:03:30: v2's 00:03 (v1's 00:04 is gone)
    await h.advance(MINUTE, ['wf']); // 00:04:30: nothing
    const runs = await h.instances('wf');
    expect(runs.map((r) => [r.version_id, r.initiator['trigger_time']])).toEqual([
      [1, at('2024-01-15T00:02:00Z')],
      [2, at('2024-01-15T00:03:00Z')],
    ]);
  });

  it('a new version with the same triggers keeps the watermark: no fire is lost or repeated', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(every2('wf'));
    await h.advance(2 * MINUTE, ['wf']);
    const before = await h.state('wf');
    await h.create(every2('wf')); // version 2, active, same triggers
    expect((await h.state('wf'))?.triggers).toEqual(before?.triggers);
    await h.advance(2 * MINUTE, ['wf']);
    const runs = await h.instances('wf');
    expect(runs.map((r) => [r.version_id, r.initiator['trigger_time']])).toEqual([
      [1, at('2024-01-15T00:02:00Z')],
      [2, at('2024-01-15T00:04:00Z')],
    ]);
  });

  it('deactivating stops the triggers, activating again fires only future times', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(every2('wf'));
    await h.api('PUT', '/workflows/wf/actions/deactivate');
    expect(await h.state('wf')).toBeUndefined();
    await h.advance(10 * MINUTE, ['wf']);
    expect(await h.instances('wf')).toEqual([]);
    await h.api('PUT', '/workflows/wf/versions/1/actions/activate');
    await h.advance(2 * MINUTE, ['wf']); // 00:12:30
    expect((await h.instances('wf')).map((r) => r.initiator['trigger_time'])).toEqual([
      at('2024-01-15T00:12:00Z'),
    ]);
  });

  it('time_trigger_disabled holds the triggers until it is cleared', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(
      every2('wf', '*/2 * * * *', { properties: { owner: 'tester', time_trigger_disabled: true } }),
    );
    expect(await h.state('wf')).toBeUndefined();
    await h.advance(4 * MINUTE, ['wf']);
    await h.api('POST', '/workflows/wf/properties', { time_trigger_disabled: false });
    await h.advance(2 * MINUTE, ['wf']); // 00:06:30
    await h.api('POST', '/workflows/wf/properties', { time_trigger_disabled: true });
    await h.advance(4 * MINUTE, ['wf']);
    expect((await h.instances('wf')).map((r) => r.initiator['trigger_time'])).toEqual([
      at('2024-01-15T00:06:00Z'),
    ]);
  });

  it('deleting the workflow removes its trigger state and its timer', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    await h.create(every2('wf'));
    await h.baton.engine.deleteWorkflow('wf');
    expect(await h.state('wf')).toBeUndefined();
    const items = await h.baton.store.transact((tx) =>
      tx.claim('probe', clock.now() + 3_600_000, 1000, 10, ['trigger']),
    );
    expect(items).toEqual([]);
  });
});

describe('a fire that cannot start', () => {
  it('is recorded on the trigger (last_error, in the API) and the trigger moves on to its next time', async () => {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const h = await open(clock);
    const definition = every2('wf');
    const workflow = definition['workflow'] as JsonObject;
    await h.create({
      ...definition,
      workflow: {
        ...workflow,
        params: { x: { type: 'LONG', expression: 'return Long.parseLong("nope");' } },
      },
    });
    await h.advance(2 * MINUTE, ['wf']);
    expect(await h.instances('wf')).toEqual([]);
    const view = await h.api('GET', '/workflows/wf');
    const triggers = view['time_triggers'] as JsonObject;
    expect(triggers['last_error']).toEqual({
      trigger_time: at('2024-01-15T00:02:00Z'),
      message: expect.stringMatching(/params/) as unknown,
    });
    expect(view['next_fire_time']).toBe(at('2024-01-15T00:04:00Z'));
    expect(triggers['triggers']).toEqual([
      {
        time_trigger: { type: 'CRON', cron: '*/2 * * * *' },
        last_trigger_timestamp: at('2024-01-15T00:02:00Z'),
        next_fire_time: at('2024-01-15T00:04:00Z'),
      },
    ]);
  });
});

describe('catch-up after the scheduler was down for an hour', () => {
  async function missedHour(catchUp?: CatchUp): Promise<number[]> {
    const clock = new FakeClock(at('2024-01-15T00:00:30Z'));
    const down = await open(clock, { scheduler: false });
    await down.create(every2('wf'));
    clock.advance(61 * MINUTE); // 01:01:30, 30 fire times later, with no scheduler running
    expect(await down.instances('wf')).toEqual([]);
    await down.close();
    opened.splice(opened.indexOf(down), 1);
    const up = await open(clock, catchUp ? { catchUp } : {});
    await up.advance(0, ['wf']);
    return (await up.instances('wf')).map((r) => r.initiator['trigger_time'] as number);
  }

  it('latest (the default) fires the newest missed time once', async () => {
    expect(await missedHour()).toEqual([at('2024-01-15T01:00:00Z')]);
  });

  it('all fires every missed time, oldest first', async () => {
    const times = await missedHour({ policy: 'all', maxPerWake: 7 });
    expect(times).toHaveLength(30);
    expect(times[0]).toBe(at('2024-01-15T00:02:00Z'));
    expect(times[29]).toBe(at('2024-01-15T01:00:00Z'));
  });

  it('none fires nothing missed and goes on with the next time', async () => {
    expect(await missedHour({ policy: 'none', maxPerWake: 100 })).toEqual([]);
  });
});
