import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { CappedLogSink, TailBuffer } from './capped-log-sink.js';
import { MAESTRO_OUTPUT_END, MAESTRO_OUTPUT_START, MarkerScanner } from './output-markers.js';
import { createGroupWatchdog, type GroupWatchdog } from './group-watchdog.js';
import { endGroup, settlesWithin, spawnGroup } from './process-group.js';
import type { GroupProcess, ProcessExit } from './process-group.js';
import type { StepContext, StepResult, StepRuntime } from './runtime.js';
import type { ShellParams } from './shell-params.js';
import { readShellParams } from './shell-params.js';
import { collectOutput, failureResult, successResult } from './shell-result.js';

export interface ShellRuntimeDeps {
  /** The environment steps inherit (default: this process's, read once when the runtime is created). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ShellRuntimeOptions {
  /** Bytes of stdout, and separately of stderr, kept in the attempt's log files. */
  readonly maxLogBytes?: number;
  /** Bytes of output JSON accepted from the $BATON_OUTPUT file or from one marker block. */
  readonly maxOutputBytes?: number;
  readonly shell?: string;
  /** Time between SIGTERM and SIGKILL when a step's process group is ended. */
  readonly killGraceMs?: number;
  /** Where per-attempt scratch folders go (the $BATON_OUTPUT file; the script when there is no log dir). */
  readonly tmpDir?: string;
  /** The working directory of steps without `cwd`, and the base a relative `cwd` is resolved against. */
  readonly cwd?: string;
}

type ResolvedOptions = Required<ShellRuntimeOptions>;

/** Lines of stderr quoted in a failure message. */
const STDERR_TAIL_LINES = 10;
/** How long the pipes may stay open after the group ended (a process that escaped with setsid can hold them). */
const DRAIN_MS = 1000;

/**
 * Baton's Shell step: runs `command` with `sh -c`, or `script` as a file, in its own process group. Exit 0 → done;
 * any other exit → user_error quoting the end of stderr. Outputs come from the $BATON_OUTPUT file or from Maestro's
 * `$MAESTRO_OUTPUT_START<json>$MAESTRO_OUTPUT_END` on stdout. On abort (stop, kill, timeout) the whole group gets
 * SIGTERM, then SIGKILL after `killGraceMs`, and the result is `stopped`. When the main process exits, whatever it
 * left running in its group is ended the same way: a step owns its processes, like a Kubernetes pod. And when Baton
 * itself dies without ending the group (kill -9), a watchdog process ends it (`createGroupWatchdog`).
 *
 * Execution is at-least-once: a crash re-runs the attempt from the start (logs are rewritten, the output file is
 * fresh), so commands should be safe to repeat.
 *
 * @example
 * const shell = createShellRuntime({}, { killGraceMs: 2000 });
 * await shell.execute({ ...context, params: { command: 'echo hi' } }); // → { state: 'done' }
 */
export function createShellRuntime(
  deps: ShellRuntimeDeps = {},
  options: ShellRuntimeOptions = {},
): StepRuntime {
  const baseEnv = { ...(deps.env ?? process.env) };
  const resolved: ResolvedOptions = {
    maxLogBytes: options.maxLogBytes ?? 1024 * 1024,
    maxOutputBytes: options.maxOutputBytes ?? 1024 * 1024,
    shell: options.shell ?? '/bin/sh',
    killGraceMs: options.killGraceMs ?? 5000,
    tmpDir: options.tmpDir ?? tmpdir(),
    cwd: options.cwd ?? process.cwd(),
  };
  const watchdog = createGroupWatchdog(resolved.killGraceMs);
  return {
    async execute(context) {
      if (context.signal.aborted) return { state: 'stopped', message: 'stopped before the process started' };
      const params = readShellParams(context.params);
      if (!params.ok) return { state: 'user_error', message: params.message };
      let scratch: string | undefined;
      try {
        // A missing cwd is the definition's mistake, so it is a user_error (retries apply) rather than a platform one.
        const cwd = path.resolve(resolved.cwd, params.value.cwd ?? '.');
        if (!(await isDirectory(cwd)))
          return { state: 'user_error', message: `cwd ${cwd} is not an existing directory` };
        scratch = await mkdtemp(path.join(resolved.tmpDir, 'baton-shell-'));
        return await run(context, params.value, { watchdog, cwd, scratch, baseEnv, options: resolved });
      } catch (err) {
        return { state: 'platform_error', message: `Shell step could not run: ${errorMessage(err)}` };
      } finally {
        if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

interface RunSetup {
  readonly watchdog: GroupWatchdog;
  readonly cwd: string;
  readonly scratch: string;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly options: ResolvedOptions;
}

async function run(context: StepContext, params: ShellParams, setup: RunSetup): Promise<StepResult> {
  const { options } = setup;
  const logDir = context.log_dir;
  if (logDir !== undefined) await mkdir(logDir, { recursive: true });
  const outputFile = path.join(setup.scratch, 'output.json');
  const args = await programArgs(params, logDir ?? setup.scratch);
  const env: NodeJS.ProcessEnv = {
    ...setup.baseEnv,
    ...params.env,
    // Set last so a param cannot redirect where outputs go or who the step claims to be.
    BATON_WORKFLOW_ID: context.workflow_id,
    BATON_INSTANCE_ID: String(context.instance_id),
    BATON_RUN_ID: String(context.run_id),
    BATON_STEP_ID: context.step_id,
    BATON_ATTEMPT: String(context.attempt),
    BATON_OUTPUT: outputFile,
    MAESTRO_OUTPUT_START,
    MAESTRO_OUTPUT_END,
  };

  const scanner = new MarkerScanner(options.maxOutputBytes);
  const decoder = new StringDecoder('utf8');
  const stderrTail = new TailBuffer(8 * 1024);
  const logPath = (name: string) => (logDir === undefined ? undefined : path.join(logDir, name));
  const stdoutSink = await CappedLogSink.open(logPath('stdout.log'), options.maxLogBytes, (chunk) =>
    scanner.push(decoder.write(chunk)),
  );
  const stderrSink = await CappedLogSink.open(logPath('stderr.log'), options.maxLogBytes, (chunk) =>
    stderrTail.push(chunk),
  );
  let proc: GroupProcess;
  try {
    proc = await spawnGroup(options.shell, args, {
      cwd: setup.cwd,
      env,
      watchdog: setup.watchdog,
    });
  } catch (err) {
    stdoutSink.destroy();
    stderrSink.destroy();
    throw err;
  }
  const { exit, aborted } = await supervise(
    proc,
    [stdoutSink, stderrSink],
    context.signal,
    options.killGraceMs,
  );
  if (aborted) return { state: 'stopped', message: 'stopped: the process group was terminated' };
  scanner.push(decoder.end());
  const output = await collectOutput(scanner.finish(), outputFile, options.maxOutputBytes);
  if (exit.code === 0) return successResult(output);
  return failureResult(exit, stderrTail.lastLines(STDERR_TAIL_LINES), output);
}

/** `sh -c command`, or `sh <file>` for a script written beside the logs (kept there as a record of what ran). */
async function programArgs(params: ShellParams, dir: string): Promise<string[]> {
  if (params.program.kind === 'command') return ['-c', params.program.text];
  const file = path.join(dir, 'script.sh');
  await writeFile(file, params.program.text, { mode: 0o600 });
  return [file];
}

/**
 * Waits for the leader to exit or for an abort, then ends the rest of the group and drains the pipes (bounded, so a
 * process that escaped the group cannot hold the step open).
 */
async function supervise(
  proc: GroupProcess,
  sinks: readonly [CappedLogSink, CappedLogSink],
  signal: AbortSignal,
  killGraceMs: number,
): Promise<{ exit: ProcessExit; aborted: boolean }> {
  const streams = [proc.child.stdout, proc.child.stderr] as const;
  const drained = Promise.allSettled([pipeline(streams[0], sinks[0]), pipeline(streams[1], sinks[1])]);
  let onAbort: () => void = () => undefined;
  const abortedEarly = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = signal.aborted
      ? 'aborted'
      : await Promise.race([proc.exited.then(() => 'exited' as const), abortedEarly]);
    await endGroup(proc.pgid, killGraceMs);
    proc.unwatch();
    if (!(await settlesWithin(drained, DRAIN_MS))) {
      for (const stream of streams) stream.destroy();
    }
    await drained;
    const exit = (await settlesWithin(proc.exited, DRAIN_MS))
      ? await proc.exited
      : { code: null, signal: null };
    return { exit, aborted: first === 'aborted' };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
