/**
 * Durations as Maestro writes them in timeouts and trigger delays: `"20 minutes"`, `"2h"`, `"1 day 3 hours"`,
 * `"2 hours, 5 mins"`, `"100s"`. A bare number in text is seconds, as for a numeric timeout.
 */
const UNIT_MILLIS: Readonly<Record<string, number>> = {
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDurationMillis(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const part = /(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*(?:,|and\b)?\s*/gy;
  let total = 0;
  let count = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(trimmed)) !== null) {
    const unit = UNIT_MILLIS[match[2]!.toLowerCase()];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
    count += 1;
    if (part.lastIndex === trimmed.length) break;
  }
  return count > 0 && part.lastIndex === trimmed.length ? Math.round(total) : undefined;
}

/** True when the text refers to params (`$x`, `${x}`), so its value is only known at run time. */
export function hasParamReference(text: string): boolean {
  return /(?<!\$)\$(?:\{[a-zA-Z][-_./a-zA-Z0-9]*\}|[a-zA-Z][_a-zA-Z0-9]*)/.test(text);
}
