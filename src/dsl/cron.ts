import { Cron } from 'croner';

/**
 * Cron as Maestro reads it (REFERENCE §7.1): a Unix 5-field expression first, then Quartz (6 or 7 fields, seconds
 * first, optional year, `?`, `L`, `W`, `#`, weekdays 1 = Sunday). croner evaluates both once Quartz's `N/step`
 * (start at N, then every step) is spelled as the range `N-max/step`, which croner wants.
 */
export const PREDEFINED_CRON: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const UNIX_MAX = [59, 23, 31, 12, 7];
const QUARTZ_MAX = [59, 59, 23, 31, 12, 7, 2099];

export interface CompiledCron {
  /** Fire times strictly after `from`, in order. */
  nextRuns(count: number, from: Date): Date[];
  /** Fire times strictly before `before`, newest first. */
  previousRuns(count: number, before: Date): Date[];
}

export type CronResult =
  { readonly ok: true; readonly cron: CompiledCron } | { readonly ok: false; readonly error: string };

export function compileCron(expression: string, timezone = 'UTC'): CronResult {
  const lower = expression.trim().toLowerCase();
  // hasOwn, not a plain lookup: a name such as 'constructor' must not reach Object.prototype.
  const text = Object.hasOwn(PREDEFINED_CRON, lower) ? PREDEFINED_CRON[lower]! : expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length === 5) {
    const unix = tryCron(rewriteSteps(fields, UNIX_MAX), timezone, false);
    if (unix.ok) return unix;
    return { ok: false, error: unix.error };
  }
  if (fields.length === 6 || fields.length === 7) {
    const quartz = tryCron(rewriteSteps(fields, QUARTZ_MAX), timezone, true);
    if (quartz.ok) return quartz;
    return { ok: false, error: quartz.error };
  }
  return {
    ok: false,
    error: `a cron expression has 5 fields (Unix) or 6-7 fields (Quartz), not ${fields.length}`,
  };
}

function rewriteSteps(fields: readonly string[], max: readonly number[]): string {
  return fields
    .map((field, i) =>
      field
        .split(',')
        .map((part) => (/^\d+\/\d+$/.test(part) ? part.replace('/', `-${max[i]}/`) : part))
        .join(','),
    )
    .join(' ');
}

function tryCron(pattern: string, timezone: string, quartz: boolean): CronResult {
  try {
    const job = new Cron(pattern, { timezone, paused: true, alternativeWeekdays: quartz });
    return {
      ok: true,
      cron: {
        nextRuns: (count, from) => job.nextRuns(count, from),
        previousRuns: (count, before) => job.previousRuns(count, before),
      },
    };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error),
    };
  }
}

/** Smallest gap between consecutive fire times over a sample of runs, in seconds (Infinity if it fires once). */
export function minimumIntervalSeconds(cron: CompiledCron, from: Date, samples = 50): number {
  const runs = cron.nextRuns(samples, from);
  let min = Infinity;
  for (let i = 1; i < runs.length; i++)
    min = Math.min(min, (runs[i]!.getTime() - runs[i - 1]!.getTime()) / 1000);
  return min;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
