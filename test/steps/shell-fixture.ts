import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import type { JsonObject } from '../../src/model/json.js';
import type { StepContext, StepResult } from '../../src/steps/runtime.js';
import type { ShellRuntimeOptions } from '../../src/steps/shell-runtime.js';
import { createShellRuntime } from '../../src/steps/shell-runtime.js';

const run = promisify(execFile);

/**
 * Per-test temp folders (removed after each test) and a Shell runtime whose scratch folders go inside them, so a test
 * can also check that nothing is left behind.
 */
export function useShellFixture() {
  const dirs: string[] = [];
  const groups: number[] = [];
  afterEach(async () => {
    // A failing test may leave its processes behind; end them so they cannot outlive the suite.
    for (const pgid of groups.splice(0)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone: the runtime did its job
      }
    }
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** Records a process group a test started, for cleanup. */
  function track(pgid: number): number {
    groups.push(pgid);
    return pgid;
  }

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-shell-test-'));
    dirs.push(dir);
    return dir;
  }

  async function execute(
    params: JsonObject,
    opts: { options?: ShellRuntimeOptions; context?: Partial<StepContext>; logs?: boolean } = {},
  ): Promise<{ result: StepResult; logDir: string; scratch: string; stdout: () => Promise<string> }> {
    const root = await tempDir();
    const logDir = path.join(root, 'logs');
    const scratch = path.join(root, 'scratch');
    await mkdir(scratch);
    const runtime = createShellRuntime(
      { env: process.env },
      { killGraceMs: 500, tmpDir: scratch, ...opts.options },
    );
    const result = await runtime.execute(
      shellContext({ params, ...(opts.logs === false ? {} : { log_dir: logDir }), ...opts.context }),
    );
    return { result, logDir, scratch, stdout: () => readFile(path.join(logDir, 'stdout.log'), 'utf8') };
  }

  return { tempDir, execute, track };
}

export function shellContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    workflow_id: 'wf_shell',
    instance_id: 7,
    run_id: 2,
    step_id: 'job',
    attempt: 3,
    type: 'Shell',
    params: {},
    start_time: Date.now(),
    signal: new AbortController().signal,
    now: () => Date.now(),
    time_scale: 1,
    ...overrides,
  };
}

/** Live (not zombie) processes in a process group, as `ps` sees them: an independent check on the runtime. */
export async function liveMembers(pgid: number): Promise<string[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)]).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }), // ps exits 1 when the group is empty
  );
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+\s+Z/.test(line));
}

/** Polls `check` until it returns a value other than undefined, failing after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Writes `step.sh` into `dir`: its first run marks `dir/ran`, starts two long-running grandchildren, writes its
 * process group to `dir/pgid` and waits; any later run finds the mark and succeeds at once. For tests where a step
 * is stopped mid-run and run again as the same attempt. Returns the script's path.
 */
export async function writeRunsOnceScript(dir: string): Promise<string> {
  const script = path.join(dir, 'step.sh');
  await writeFile(
    script,
    [
      `if [ -f ${dir}/ran ]; then exit 0; fi`,
      `touch ${dir}/ran`,
      'sleep 1000 & sleep 1000 &',
      `ps -o pgid= -p $$ > ${dir}/pgid.tmp && mv ${dir}/pgid.tmp ${dir}/pgid`,
      'wait',
      '',
    ].join('\n'),
  );
  return script;
}
