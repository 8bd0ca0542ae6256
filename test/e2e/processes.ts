import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/shared.js';

/** A `baton` process started from the built binary (`npm run build` first), with what it printed so far. */
export interface BatonProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once it ended. */
  readonly exited: Promise<number | string>;
}

const started: ChildProcess[] = [];

/** Starts `bin/baton.js` with these arguments; `killLeftovers` ends whatever a test left running. */
export function baton(
  args: readonly string[],
  cwd = repoRoot,
  extraEnv: Readonly<Record<string, string>> = {},
): BatonProcess {
  const env = { ...process.env, ...extraEnv };
  delete env['BATON_DB']; // every test names its database
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/baton.js'), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export function killLeftovers(): void {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Polls `probe` until it returns a value, failing after `deadlineMs` with what was awaited. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  deadlineMs = 30_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a process to end, failing after `deadlineMs`. */
export async function exitOf(p: BatonProcess, deadlineMs = 30_000): Promise<number | string> {
  let code: number | string | undefined;
  void p.exited.then((c) => (code = c));
  return until('the process to exit', () => code, deadlineMs);
}
