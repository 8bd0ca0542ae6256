import { main } from '../../src/cli/main.js';
import { repoRoot } from '../support/shared.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `baton` command in-process, as a user would from the repository root (or `cwd`). */
export async function runCli(args: readonly string[], cwd = repoRoot): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}
