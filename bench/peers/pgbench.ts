// Peer baseline: what the PostgreSQL server itself sustains, measured with pgbench on the same server as Baton's
// PostgreSQL workloads. `pgbench -i -s 1` creates the pgbench tables (100,000 accounts), then
// `pgbench -N -c <clients> -j 2 -T <seconds>` runs the simple-update transaction (TPC-B without the
// teller/branch updates: 3 writes and a read, one commit each) and reports transactions per second, not
// counting the time to open connections.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PgbenchOptions {
  /** A scratch database; pgbench creates its tables there (the caller drops the database). */
  connectionString: string;
  /** Concurrent client sessions (`-c`); default 4. */
  clients?: number;
  /** Duration of the timed run in seconds (`-T`); default 10. */
  seconds?: number;
}

export type PgbenchResult =
  { tps: number; clients: number; seconds: number; command: string } | { skipped: string };

/** Worker threads for pgbench's clients (`-j`); never more than the clients. */
const THREADS = 2;

/** Initialises the pgbench tables at scale 1, then runs `pgbench -N` and returns its tps. */
export async function benchPgbench(options: PgbenchOptions): Promise<PgbenchResult> {
  const clients = options.clients ?? 4;
  const seconds = options.seconds ?? 10;
  const pgbench = await findPgbench();
  if (!pgbench) return { skipped: 'pgbench not found' };

  const { connectionString } = options;
  await execFileAsync(pgbench, ['-i', '-s', '1', '-q', connectionString], { timeout: 120_000 });
  const args = ['-N', '-c', String(clients), '-j', String(Math.min(THREADS, clients)), '-T', String(seconds)];
  const { stdout } = await execFileAsync(pgbench, [...args, connectionString], {
    timeout: (seconds + 120) * 1000,
  });
  return {
    tps: parseTps(stdout),
    clients,
    seconds,
    command: [pgbench, ...args, redactPassword(connectionString)].join(' '),
  };
}

/**
 * The tps line that leaves out connection set-up: PostgreSQL 14+ prints one line, "tps = N (without initial
 * connection time)"; older versions print two, "(including connections establishing)" and "(excluding ...)".
 */
export function parseTps(stdout: string): number {
  const lines = stdout.split('\n').filter((line) => /^tps = /.test(line));
  const line = lines.find((l) => !l.includes('including connections establishing'));
  const match = line?.match(/^tps = ([0-9.]+)/);
  if (!match?.[1]) throw new Error(`no tps line in pgbench output:\n${stdout}`);
  return Math.round(Number(match[1]) * 10) / 10;
}

/** `pgbench` on PATH, else the newest one under /usr/lib/postgresql/<version>/bin (Debian's layout). */
async function findPgbench(): Promise<string | undefined> {
  const candidates = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'pgbench'));
  const debianRoot = '/usr/lib/postgresql';
  const versions = await readdir(debianRoot).catch(() => [] as string[]);
  versions.sort((a, b) => Number(b) - Number(a) || b.localeCompare(a));
  candidates.push(...versions.map((v) => path.join(debianRoot, v, 'bin', 'pgbench')));
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function redactPassword(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return connectionString;
  }
}
