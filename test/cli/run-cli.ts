import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { repoRoot } from '../support/shared.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `baton` command in-process, as a user would from the repository root (or `cwd`). A run without `--db`
 * keeps its step logs in a temporary folder (and says where); that folder is removed here unless `keepLogs`.
 */
export async function runCli(
  args: readonly string[],
  cwd = repoRoot,
  options: { readonly keepLogs?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    isTTY: false,
  });
  const kept = /step logs are in (\S+)\/baton\.db\.logs\n/.exec(stderr)?.[1];
  if (!options.keepLogs && kept !== undefined && isTemporaryFolder(kept, args))
    rmSync(kept, { recursive: true, force: true });
  return { code, stdout, stderr };
}

/** The folder of a temporary database (`baton-run-*` in the system's temp folder), not one a test chose with --db. */
function isTemporaryFolder(folder: string, args: readonly string[]): boolean {
  return (
    !args.includes('--db') &&
    path.dirname(folder) === path.resolve(tmpdir()) &&
    path.basename(folder).startsWith('baton-run-')
  );
}

/**
 * Runs a long-running command (`baton server`) in-process until its output satisfies `done`, then asks it to stop
 * as Ctrl-C would, and returns what it printed and its exit code. Fails after `deadlineMs` with what it printed.
 */
export async function runCliUntil(
  args: readonly string[],
  done: (stdout: string) => boolean,
  deadlineMs = 60_000,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  const timer = setTimeout(stop, deadlineMs);
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
      if (done(stdout)) stop();
    },
    stderr: (t) => (stderr += t),
    cwd: repoRoot,
    isTTY: false,
    stopSignal,
  });
  clearTimeout(timer);
  if (!done(stdout))
    throw new Error(`the command stopped before its output was complete:\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}
