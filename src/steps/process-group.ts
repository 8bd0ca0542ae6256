import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { GroupWatchdog } from './group-watchdog.js';

export type GroupChild = ChildProcessByStdio<null, Readable, Readable>;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GroupProcess {
  readonly child: GroupChild;
  /** The process group id: the leader's pid, since `detached` starts a new session. */
  readonly pgid: number;
  readonly exited: Promise<ProcessExit>;
  /** Stops watching the group (see `SpawnGroupOptions.watchdog`): call once it has been ended (`endGroup`), never before. */
  unwatch(): void;
}

export interface SpawnGroupOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Ends the group if this process dies without doing so (kill -9); see `createGroupWatchdog`. */
  readonly watchdog?: GroupWatchdog;
}

/**
 * Starts `file args` as the leader of a new process group, so everything it starts can be signalled at once. Rejects
 * when the process cannot start (missing shell, unusable cwd).
 */
export async function spawnGroup(
  file: string,
  args: readonly string[],
  options: SpawnGroupOptions,
): Promise<GroupProcess> {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Announced in the same turn: the only moment this process can die and leave the group unwatched is between the
  // two system calls (the announcement is in the pipe once written, even if this process dies right after).
  const { pid } = child;
  if (pid !== undefined) options.watchdog?.watch(pid);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    if (pid === undefined) throw new Error(`${file} started without a pid`);
  } catch (err) {
    if (pid !== undefined) options.watchdog?.unwatch(pid);
    throw err;
  }
  return { child, pgid: pid, exited, unwatch: () => options.watchdog?.unwatch(pid) };
}

/** Signals every process in the group; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (isErrno(err, 'ESRCH')) return false;
    throw err;
  }
}

/**
 * True while a live (not zombie) process of the group exists. Zombies are left out because a container's PID 1 often
 * never reaps the orphans it inherits, and `kill(-pgid, 0)` keeps succeeding for them; on Linux /proc tells them
 * apart, elsewhere the signal probe is all there is.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return true;
  const states = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name)).map((pid) => procState(pid, pgid)),
  );
  return states.some((state) => state !== undefined && state !== 'Z' && state !== 'X');
}

/** The state letter of `/proc/<pid>` when it belongs to group `pgid`; undefined otherwise or when it vanished. */
async function procState(pid: string, pgid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name may contain spaces and parentheses, so fields are counted from its closing parenthesis.
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(pgrp) === pgid ? state : undefined;
}

/**
 * Ends what is left of a group: SIGTERM, then SIGKILL for anything still there after `graceMs`. Waits (bounded) for
 * the group to disappear. Uses real time on purpose: this is about OS processes, not workflow time, so the injected
 * clock does not apply.
 */
export async function endGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitUntil(async () => !(await groupAlive(pgid)), graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(async () => !(await groupAlive(pgid)), KILL_WAIT_MS);
}

/** How long to wait for SIGKILL to take effect before giving up (a process stuck in the kernel cannot be hurried). */
const KILL_WAIT_MS = 2000;
const POLL_MS = 25;

/** Polls `done` until it is true (→ true) or `ms` pass (→ false). */
export async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() >= deadline) return false;
    await delay(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
  return true;
}

/** Resolves true when `promise` settles within `ms`, false otherwise; the timer never outlives the call. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
