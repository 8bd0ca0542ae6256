import { byPosition } from '../dsl/parse.js';
import { expandPaths, formatIssue, loadDefinitionFiles, parseLimitsOption } from './definition-files.js';
import { ExitCode, type Io } from './io.js';

/** `baton validate FILE...`: one line per issue; exit 0 when every file is valid, 2 otherwise. */
export function validateCommand(
  io: Io,
  inputs: readonly string[],
  options: { json?: boolean; limits?: string },
): ExitCode {
  const limits = parseLimitsOption(options.limits);
  if (typeof limits === 'string') {
    io.stderr(`${limits}\n`);
    return ExitCode.INVALID;
  }
  const loaded = loadDefinitionFiles(io.cwd, expandPaths(io.cwd, inputs), limits);
  const issues = loaded.flatMap(({ result }) => [...result.issues].sort(byPosition));
  if (options.json) {
    io.stdout(`${JSON.stringify({ valid: issues.length === 0, files: loaded.length, issues }, null, 2)}\n`);
  } else {
    for (const issue of issues) io.stdout(`${formatIssue(issue)}\n`);
    if (issues.length === 0) io.stderr(`${loaded.length} file${loaded.length === 1 ? '' : 's'} valid\n`);
  }
  return issues.length === 0 ? ExitCode.OK : ExitCode.INVALID;
}
