import type { ParamDefinition, ParamMap } from '../model/param.js';

/**
 * The default workflow params every run gets (REFERENCE §3.2), as SEL definitions evaluated like any other
 * param, so they read the injected clock (`System.currentTimeMillis()`) and follow an overridden `RUN_TS` (a time
 * trigger passes its scheduled time). All are MUTABLE_ON_START: a start may override them, a restart keeps them.
 *
 * Dates are LONG date ints (`20240131`) and hours STRING (`"07"`), in these zones:
 * - `WORKFLOW_CRON_TIMEZONE`: the initiator's time zone (a time trigger's), else the first time trigger's, else UTC.
 * - `TARGET_RUN_DATE` / `TARGET_RUN_HOUR`: `RUN_TS` in `WORKFLOW_CRON_TIMEZONE`; `RUN_DATE` is the same date and
 *   `RUN_DATE_MINUS_1` / `_7` the days before.
 * - `DERIVED_RUN_TS`: the start of the target hour (`TARGET_RUN_DATE` + `TARGET_RUN_HOUR` in the cron zone);
 *   `DERIVED_RUN_DATE_*` / `DERIVED_RUN_HOUR_*` read it in US/Pacific or UTC, shifted by a day or an hour.
 * - `DSL_DEFAULT_TZ`: the zone DSL workflows read dates in, `WORKFLOW_CRON_TIMEZONE` unless overridden;
 *   `LOCAL_RUN_DATE` is `RUN_TS` in it.
 */
export interface SystemParamOptions {
  /** The workflow's id and owner, set as RESERVED params (users cannot pass them). */
  readonly workflowId?: string;
  readonly owner?: string;
}

const MODE = { mode: 'MUTABLE_ON_START' } as const;

function sel(type: ParamDefinition['type'], expression: string): ParamDefinition {
  return { type, expression, ...MODE };
}

const zone = (z: string): string => `DateTimeZone.forID(${z})`;
/** SEL that reads `ts` (epoch ms) in zone `z`, shifted, formatted with `pattern`. */
function read(ts: string, z: string, shift: string, pattern: string): string {
  return `new DateTime(${ts}).withZone(${zone(z)})${shift}.toString('${pattern}')`;
}
const dateInt = (ts: string, z: string, shift = ''): ParamDefinition =>
  sel('LONG', `Long.parseLong(${read(ts, z, shift, 'yyyyMMdd')})`);
const hour = (ts: string, z: string, shift = ''): ParamDefinition => sel('STRING', read(ts, z, shift, 'HH'));

const CRON_TIMEZONE = [
  "String tz = params.getFromInstance('INITIATOR_TIMEZONE');",
  "if (tz == null) { tz = params.getFromInstance('FIRST_TIME_TRIGGER_TIMEZONE'); }",
  "if (tz == null) { tz = 'UTC'; }",
  'return tz;',
].join('\n');

const PACIFIC = "'US/Pacific'";
const UTC = "'UTC'";
const D = 'DERIVED_RUN_TS';

/** The default workflow params by name (definition order is evaluation-friendly but not required). */
export function defaultWorkflowParams(options: SystemParamOptions = {}): ParamMap {
  const params: Record<string, ParamDefinition> = {
    RUN_TS: sel('LONG', 'System.currentTimeMillis()'),
    WORKFLOW_CRON_TIMEZONE: sel('STRING', CRON_TIMEZONE),
    DSL_DEFAULT_TZ: sel('STRING', 'WORKFLOW_CRON_TIMEZONE'),
    TARGET_RUN_DATE: dateInt('RUN_TS', 'WORKFLOW_CRON_TIMEZONE'),
    TARGET_RUN_HOUR: hour('RUN_TS', 'WORKFLOW_CRON_TIMEZONE'),
    DERIVED_RUN_TS: sel(
      'LONG',
      'Util.dateIntHourToTs(TARGET_RUN_DATE, TARGET_RUN_HOUR, WORKFLOW_CRON_TIMEZONE, 0, 0)',
    ),
    DERIVED_RUN_DATE_US_PACIFIC: dateInt(D, PACIFIC),
    DERIVED_RUN_DATE_US_PACIFIC_MINUS_ONE: dateInt(D, PACIFIC, '.minusDays(1)'),
    DERIVED_RUN_DATE_UTC: dateInt(D, UTC),
    DERIVED_RUN_DATE_UTC_MINUS_ONE: dateInt(D, UTC, '.minusDays(1)'),
    DERIVED_RUN_DATE_UTC_PLUS_ONE: dateInt(D, UTC, '.plusDays(1)'),
    DERIVED_RUN_DATE_UTC_MINUS_ONE_HOUR: dateInt(D, UTC, '.minusHours(1)'),
    DERIVED_RUN_DATE_UTC_PLUS_ONE_HOUR: dateInt(D, UTC, '.plusHours(1)'),
    DERIVED_RUN_HOUR_US_PACIFIC: hour(D, PACIFIC),
    DERIVED_RUN_HOUR_UTC: hour(D, UTC),
    DERIVED_RUN_HOUR_UTC_MINUS_ONE_HOUR: hour(D, UTC, '.minusHours(1)'),
    DERIVED_RUN_HOUR_UTC_PLUS_ONE_HOUR: hour(D, UTC, '.plusHours(1)'),
    LOCAL_RUN_DATE: dateInt('RUN_TS', 'DSL_DEFAULT_TZ'),
    RUN_DATE: sel('LONG', 'TARGET_RUN_DATE'),
    RUN_DATE_MINUS_1: sel('LONG', 'Util.incrementDateInt(RUN_DATE, -1)'),
    RUN_DATE_MINUS_7: sel('LONG', 'Util.incrementDateInt(RUN_DATE, -7)'),
    job_template_version: { type: 'STRING', internal_mode: 'OPTIONAL', ...MODE },
    owner: reserved(options.owner),
    workflow_id: reserved(options.workflowId),
  };
  return Object.freeze(params);
}

function reserved(value: string | undefined): ParamDefinition {
  const base = { type: 'STRING', internal_mode: 'RESERVED', ...MODE } as const;
  return value === undefined ? base : { ...base, value };
}

/** Params every step gets; the engine fills them in (RESERVED). */
export const DEFAULT_STEP_PARAM_NAMES = [
  'workflow_instance_id',
  'step_instance_uuid',
  'step_attempt_id',
  'step_id',
] as const;
