import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * Ends the process groups of running steps when this process dies without ending them itself (kill -9, a crash, a
 * signal it does not handle), so a step's processes never outlive Baton (ARCHITECTURE invariant 7).
 *
 * One small shell per runtime, started with the first group, holds the read end of a pipe from this process. Each
 * group is announced on it when it starts (`+ pgid`) and withdrawn once it has been ended (`- pgid`). End of file
 * means this process is gone, however it died (the kernel closes its end of the pipe even after SIGKILL): the
 * watchdog then sends every group still announced SIGTERM, and SIGKILL after the grace period. Unlike a parent-death
 * signal (`prctl(PR_SET_PDEATHSIG)`, `setpriv --pdeathsig`), which reaches only the one process that set it, this
 * reaches the whole group, grandchildren included, and it needs nothing but a POSIX shell. It runs in a session of its
 * own and ignores terminal signals, so a Ctrl-C meant for Baton cannot take it down first.
 * See docs/decisions/0009-stopping.md.
 */
export interface GroupWatchdog {
  /** Watches a group from now on: call at once after the group's leader is spawned. */
  watch(pgid: number): void;
  /** Stops watching a group: call once the group has been ended, never before. */
  unwatch(pgid: number): void;
}

/**
 * The watchdog's script: `$1` is the grace period in whole seconds. Each probe drops the groups that are gone, so
 * SIGKILL goes only to groups seen alive a moment before: the id of a group that ended during the grace period may
 * already belong to another group (ids are reused), which must not be killed.
 */
export const WATCHDOG_SCRIPT = `trap '' INT HUP TERM
groups=' '
while read -r op pgid; do
  case $op in
    +) groups="$groups$pgid " ;;
    -) case $groups in *" $pgid "*) groups="\${groups%% $pgid *} \${groups#* $pgid }" ;; esac ;;
  esac
done
[ "$op" = + ] && [ -n "$pgid" ] && groups="$groups$pgid "
[ -z "\${groups# }" ] && exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
i=0
while :; do
  alive=
  for g in $groups; do kill -s 0 -- "-$g" 2>/dev/null && alive="$alive$g "; done
  groups=$alive
  [ -z "$groups" ] && exit 0
  [ "$i" -ge "$1" ] && break
  sleep 1
  i=$((i + 1))
done
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
exit 0`;

/** Always the system's shell, whatever shell steps use. */
const WATCHDOG_SHELL = '/bin/sh';

/**
 * Times in a row a watchdog that ended soon after it started is replaced before steps run unwatched (one that keeps
 * dying would loop). One that lived RESTART_WINDOW_MS or longer was not dying of itself: the count starts again, so a
 * server that runs for months keeps its watchdog through any number of unrelated kills.
 */
const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;

/** The name the watchdog shows in `ps` (its `$0`). */
export const WATCHDOG_NAME = 'baton-watchdog';

/**
 * A watchdog whose groups get `graceMs` (rounded up to whole seconds) between SIGTERM and SIGKILL. Started lazily,
 * and again if it dies (the groups still watched are announced to the new one; `now`, a monotonic clock in ms, tells
 * how long it lived, see MAX_RESTARTS). If it cannot start at all, steps run unwatched (still ended on stop, kill
 * and timeout, only not after a crash of Baton) and a warning says so once.
 */
export function createGroupWatchdog(
  graceMs: number,
  now: () => number = () => performance.now(),
): GroupWatchdog {
  const graceSeconds = String(Math.max(1, Math.ceil(graceMs / 1000)));
  const watched = new Set<number>();
  let child: ChildProcessByStdio<Writable, null, null> | undefined;
  let failed = false;
  let restarts = 0;
  let startedAt = 0;

  const send = (line: string): void => {
    if (failed) return;
    if (!child) child = start();
    child.stdin.write(line);
  };

  function start(): ChildProcessByStdio<Writable, null, null> {
    startedAt = now();
    const started = spawn(WATCHDOG_SHELL, ['-c', WATCHDOG_SCRIPT, WATCHDOG_NAME, graceSeconds], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    started.once('error', (err) => {
      if (failed) return;
      failed = true;
      child = undefined;
      process.emitWarning(
        `baton: cannot start the watchdog that ends a Shell step's processes if Baton dies (${WATCHDOG_SHELL}): ${err.message}`,
      );
    });
    started.once('exit', (code, signal) => {
      if (child !== started || failed) return;
      child = undefined;
      // Killed by someone: a new one takes over the groups still running. Only quick deaths count towards the limit.
      if (now() - startedAt >= RESTART_WINDOW_MS) restarts = 0;
      else if (restarts >= MAX_RESTARTS) {
        failed = true;
        process.emitWarning(
          `baton: the Shell step watchdog keeps ending (last: ${signal ?? `exit ${code}`}); steps now run unwatched`,
        );
        return;
      } else restarts += 1;
      for (const pgid of watched) send(`+ ${pgid}\n`);
    });
    // Writing to a watchdog that just died fails with EPIPE; its 'exit' brings the next one.
    started.stdin.on('error', () => undefined);
    // It must never keep this process alive: when this process ends, the watchdog's work begins.
    started.unref();
    (started.stdin as unknown as { unref?: () => void }).unref?.();
    return started;
  }

  return {
    watch(pgid) {
      watched.add(pgid);
      send(`+ ${pgid}\n`);
    },
    unwatch(pgid) {
      if (!watched.delete(pgid)) return;
      send(`- ${pgid}\n`);
    },
  };
}
