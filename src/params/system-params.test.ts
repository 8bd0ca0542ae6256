import { describe, expect, it } from 'vitest';
import { SYSTEM_WORKFLOW_PARAM_NAMES } from '../dsl/validate/expressions.js';
import { createParamEvaluator } from './evaluate.js';
import { paramValues } from './params-json.js';
import { instanceFields, type Initiator } from './instance.js';
import { mergeWorkflowParams, runParamsFromValues } from './merge.js';
import { defaultWorkflowParams } from './system-params.js';

function systemParams(
  nowIso: string,
  initiator?: Initiator,
  extra: { run?: Record<string, number>; cronZone?: string } = {},
) {
  const clock = { now: () => Date.parse(nowIso) };
  const defaults = defaultWorkflowParams({ workflowId: 'wf', owner: 'tester' });
  const params = mergeWorkflowParams({
    defaults,
    ...(extra.run
      ? { run: runParamsFromValues(extra.run, defaults), runSource: 'TIME_TRIGGER' as const }
      : {}),
  });
  const instance = instanceFields({
    workflowId: 'wf',
    ...(initiator ? { initiator } : {}),
    ...(extra.cronZone
      ? { timeTriggers: [{ type: 'CRON' as const, cron: '0 0 * * *', timezone: extra.cronZone }] }
      : {}),
  });
  return paramValues(createParamEvaluator({ clock }).evaluate({ params, context: { instance } }));
}

const pacific: Initiator = { type: 'TIME', timezone: 'US/Pacific', trigger_time: 0 };
const manual: Initiator = { type: 'MANUAL', user: 'me' };

describe('default system params', () => {
  it('are the names the definition validator knows', () => {
    expect(Object.keys(defaultWorkflowParams()).sort()).toEqual([...SYSTEM_WORKFLOW_PARAM_NAMES].sort());
  });

  it('read the injected clock, never the wall clock', () => {
    const p = systemParams('2024-01-02T07:30:00Z', manual);
    expect(p).toMatchObject({
      RUN_TS: Date.parse('2024-01-02T07:30:00Z'),
      WORKFLOW_CRON_TIMEZONE: 'UTC',
      DSL_DEFAULT_TZ: 'UTC',
      TARGET_RUN_DATE: 20240102,
      TARGET_RUN_HOUR: '07',
      DERIVED_RUN_TS: Date.parse('2024-01-02T07:00:00Z'),
      DERIVED_RUN_DATE_UTC: 20240102,
      DERIVED_RUN_DATE_UTC_MINUS_ONE: 20240101,
      DERIVED_RUN_DATE_UTC_PLUS_ONE: 20240103,
      DERIVED_RUN_DATE_UTC_MINUS_ONE_HOUR: 20240102,
      DERIVED_RUN_HOUR_UTC_MINUS_ONE_HOUR: '06',
      DERIVED_RUN_HOUR_UTC_PLUS_ONE_HOUR: '08',
      DERIVED_RUN_DATE_US_PACIFIC: 20240101,
      DERIVED_RUN_HOUR_US_PACIFIC: '23',
      LOCAL_RUN_DATE: 20240102,
      RUN_DATE: 20240102,
      RUN_DATE_MINUS_1: 20240101,
      RUN_DATE_MINUS_7: 20231226,
      owner: 'tester',
      workflow_id: 'wf',
    });
    expect(p).not.toHaveProperty('job_template_version'); // OPTIONAL, no value
  });

  it('give TARGET_RUN_DATE in the initiator’s time zone: around midnight US/Pacific vs UTC', () => {
    const before = '2024-01-02T07:59:59Z'; // 23:59:59 on Jan 1 in US/Pacific
    const after = '2024-01-02T08:00:00Z'; // midnight Jan 2 in US/Pacific
    expect(systemParams(before, pacific)).toMatchObject({
      WORKFLOW_CRON_TIMEZONE: 'US/Pacific',
      TARGET_RUN_DATE: 20240101,
      TARGET_RUN_HOUR: '23',
    });
    expect(systemParams(after, pacific)).toMatchObject({ TARGET_RUN_DATE: 20240102, TARGET_RUN_HOUR: '00' });
    expect(systemParams(before, manual)).toMatchObject({ TARGET_RUN_DATE: 20240102, TARGET_RUN_HOUR: '07' });
    const utcBefore = '2024-01-01T23:59:59Z';
    const utcAfter = '2024-01-02T00:00:00Z';
    expect(systemParams(utcBefore, manual)).toMatchObject({
      TARGET_RUN_DATE: 20240101,
      TARGET_RUN_HOUR: '23',
    });
    expect(systemParams(utcAfter, manual)).toMatchObject({
      TARGET_RUN_DATE: 20240102,
      TARGET_RUN_HOUR: '00',
    });
    expect(systemParams(utcAfter, pacific)).toMatchObject({
      TARGET_RUN_DATE: 20240101,
      TARGET_RUN_HOUR: '16',
    });
  });

  it('fall back to the first time trigger’s zone for other initiators', () => {
    expect(systemParams('2024-07-01T03:00:00Z', manual, { cronZone: 'Asia/Tokyo' })).toMatchObject({
      WORKFLOW_CRON_TIMEZONE: 'Asia/Tokyo',
      TARGET_RUN_DATE: 20240701,
      TARGET_RUN_HOUR: '12',
    });
  });

  it('follow a RUN_TS the time trigger passes (its scheduled time), not the clock', () => {
    const scheduled = Date.parse('2023-03-12T10:00:00Z'); // 03:00 PDT, the day DST starts
    const p = systemParams('2024-01-01T00:00:00Z', pacific, { run: { RUN_TS: scheduled } });
    expect(p).toMatchObject({
      RUN_TS: scheduled,
      TARGET_RUN_DATE: 20230312,
      TARGET_RUN_HOUR: '03',
      DERIVED_RUN_TS: scheduled,
    });
  });
});
