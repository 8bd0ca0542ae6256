// Human output of the client commands: aligned tables, times and durations.

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** `2026-12-07 12:00:01` in UTC; `-` when absent. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === undefined || ms === null) return '-';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `12:00:01.123` (UTC), for progress lines. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** `850ms`, `12.3s`, `4m05s`, `2h03m`; `-` without a start. */
export function formatDuration(start: number | null | undefined, end: number | null | undefined): string {
  if (start === undefined || start === null || end === undefined || end === null) return '-';
  const ms = Math.max(0, end - start);
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
