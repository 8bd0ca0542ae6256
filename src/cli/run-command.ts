import { maxIterationsProblem } from './max-iterations.js';
import { byPosition } from '../dsl/parse.js';
import { paramNameProblem } from '../dsl/validate/identifiers.js';
import type { WorkflowCreateRequest } from '../model/definition.js';
import { BatonError, ValidationError } from '../model/errors.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import { runKeyString, type LoadedRun } from '../engine/run-record.js';
import type { RunKey } from '../store/port.js';
import { formatIssue, loadDefinitionFiles, warningsOf } from './definition-files.js';
import { openBaton } from '../server/compose.js';
import { endOrInterrupt, reportInterrupted } from './interrupt.js';
import { hintWhileQueued } from './queue-hint.js';
import { systemClock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { childOf } from '../engine/subworkflow.js';
import { ExitCode, type Io } from './io.js';
import { progressPrinter, runView } from './run-view.js';

export interface RunCommandOptions {
  readonly with: readonly string[];
  readonly param: readonly string[];
  readonly db?: string;
  readonly json?: boolean;
  readonly timeScale?: string;
  readonly leaseMs?: string;
  readonly maxIterations?: string;
}

/**
 * `baton run FILE`: store the definitions (the `--with` ones first, for subworkflows), start the main workflow once
 * and wait for it to end. Exit 0 when it SUCCEEDED, 1 for any other end, 2 for invalid input, 130 when stopped
 * (SIGINT/SIGTERM) first: the run is left as it stands, in a database that is kept, and how to finish it is printed.
 */
export async function runCommand(io: Io, file: string, options: RunCommandOptions): Promise<ExitCode> {
  const input = readInput(io, file, options);
  if (typeof input === 'number') return input;
  const { params, timeScale, leaseMs, main, workflows } = input;
  const embedded = await openBaton({
    ...(options.db === undefined ? {} : { db: options.db }),
    timeScale,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(options.maxIterations === undefined ? {} : { loopIterations: Number(options.maxIterations) }),
    // Its own run only: other runs on the same database belong to their own `baton run` or to a server.
    scope: [],
  });
  const { engine } = embedded;
  let keepDatabase = false;
  let ran = false;
  try {
    for (const w of workflows) await engine.createWorkflow(w, process.env['USER'] ?? 'baton');
    const print = progressPrinter(
      (t) => (options.json ? io.stderr(t) : io.stdout(t)),
      main.workflow,
      io.isTTY && !options.json,
    );
    const own = ownRunPrinter(print);
    engine.onRunChange(own.changed);
    engine.start();
    const started = await engine.startRun({
      workflow_id: main.workflow.id,
      version: 'latest',
      run_params: params,
      initiator: { type: 'MANUAL', user: process.env['USER'] ?? 'baton' },
    });
    own.started(started.run);
    ran = true;
    const cancelHint = hintWhileQueued(engine, systemClock, started.run, embedded.db, (line) =>
      io.stderr(line),
    );
    const outcome = await endOrInterrupt(engine, started.run, io.stopSignal).finally(cancelHint);
    if ('interrupted' in outcome) {
      keepDatabase = true;
      reportInterrupted(io, 'run', outcome.interrupted, embedded);
      return ExitCode.INTERRUPTED;
    }
    const { ended } = outcome;
    // The runs it fired and did not wait for (sync: false subworkflows) run in this process too: let them end.
    const left = await firedRunsEnd(engine, ended, io.stopSignal);
    if (left) {
      keepDatabase = true;
      reportInterrupted(io, 'run', left, embedded);
      return ExitCode.INTERRUPTED;
    }
    // Another process may have written the last changes (an admission that completed inline steps): show them.
    print(ended);
    if (options.json) io.stdout(`${JSON.stringify(runView(ended, main.workflow), null, 2)}\n`);
    return ended.run.status === 'SUCCEEDED' ? ExitCode.OK : ExitCode.FAILED;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const issue of error.issues) io.stderr(`${formatIssue({ ...issue, file })}\n`);
      return ExitCode.INVALID;
    }
    if (error instanceof BatonError) return usage(io, error.message);
    throw error;
  } finally {
    await embedded.close({ keepDatabase });
    if (ran && embedded.hasLogs()) io.stderr(`step logs are in ${embedded.logDir}\n`);
  }
}

/**
 * Waits for the runs a run's steps started without waiting for them (fire-and-forget subworkflows), and theirs in
 * turn; a run that waited for its child saw it end already. Answers the run left unfinished when interrupted.
 */
async function firedRunsEnd(
  engine: Engine,
  ended: LoadedRun,
  stopSignal: Promise<unknown> | undefined,
): Promise<LoadedRun | undefined> {
  for (const step of Object.values(ended.state.steps)) {
    const child = childOf(step);
    if (!child) continue;
    const outcome = await endOrInterrupt(engine, child, stopSignal);
    if ('interrupted' in outcome) return outcome.interrupted;
    const left = await firedRunsEnd(engine, outcome.ended, stopSignal);
    if (left) return left;
  }
  return undefined;
}

/** The definitions and options of a `baton run`, checked; or the exit code of what was wrong (said on stderr). */
function readInput(io: Io, file: string, options: RunCommandOptions) {
  const params = parseParams(options.param);
  if (typeof params === 'string') return usage(io, params);
  const timeScale = options.timeScale === undefined ? 1 : Number(options.timeScale);
  if (!(timeScale > 0 && timeScale <= 1000))
    return usage(
      io,
      `--time-scale must be a number above 0 (0.01 runs waits 100 times faster), not '${options.timeScale}'`,
    );

  const iterations = maxIterationsProblem(options.maxIterations);
  if (iterations) return usage(io, iterations);

  const loaded = loadDefinitionFiles(io.cwd, [...options.with, file]);
  const issues = loaded.flatMap((l) => [...l.result.issues].sort(byPosition));
  // Warnings are shown, and the run goes ahead: they are advice about a valid definition.
  for (const issue of [...issues, ...warningsOf(loaded)]) io.stderr(`${formatIssue(issue)}\n`);
  if (issues.length > 0) return ExitCode.INVALID;
  const main = loaded[loaded.length - 1]!.result.workflow;
  if (!main) return usage(io, `${file} is a job template, not a workflow`);
  const workflows = loaded
    .map((l) => l.result.workflow)
    .filter((w): w is WorkflowCreateRequest => w !== undefined);

  const leaseMs = options.leaseMs === undefined ? undefined : Number(options.leaseMs);
  if (leaseMs !== undefined && !(Number.isInteger(leaseMs) && leaseMs >= 100))
    return usage(io, `--lease-ms must be a whole number of at least 100, not '${options.leaseMs}'`);
  return { params, timeScale, leaseMs, main, workflows };
}

/**
 * Passes on the changes of this process's own run only: other runs of the same workflow on the same database are
 * other processes' to show. Changes that come before the start answers with the run's key wait for it.
 */
function ownRunPrinter(print: (loaded: LoadedRun) => void) {
  let key: string | undefined;
  const early: LoadedRun[] = [];
  return {
    changed(loaded: LoadedRun): void {
      if (key === undefined) early.push(loaded);
      else if (runKeyString(loaded.run) === key) print(loaded);
    },
    started(run: RunKey): void {
      key = runKeyString(run);
      for (const loaded of early.splice(0)) if (runKeyString(loaded.run) === key) print(loaded);
    },
  };
}

/** `--param NAME=VALUE`: the value is read as JSON when it parses (numbers, lists, maps), else as text. */
export function parseParams(pairs: readonly string[]): JsonObject | string {
  const out: Record<string, JsonValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `--param takes NAME=VALUE, not '${pair}'`;
    const name = pair.slice(0, eq);
    // The same rule as param names in a definition: a name no definition can declare would only be dropped later.
    const problem = paramNameProblem(name, DEFAULT_LIMITS.idLength);
    if (problem) return `--param ${problem.message}`;
    const raw = pair.slice(eq + 1);
    let value: JsonValue;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      value = raw;
    }
    out[name] = value;
  }
  return out;
}

function usage(io: Io, message: string): ExitCode {
  io.stderr(`baton run: ${message}\n`);
  return ExitCode.INVALID;
}
