import { byPosition } from '../dsl/parse.js';
import {
  expandPaths,
  formatIssue,
  loadDefinitionFiles,
  parseLimitsOption,
  warningsOf,
} from './definition-files.js';
import { ExitCode, type Io } from './io.js';

/**
 * `baton validate FILE...`: one line per issue, then one per warning; exit 0 when every file is valid (warnings or
 * not), 2 otherwise. `--json` lists warnings apart from the issues, so `issues` keeps meaning "what makes it invalid".
 */
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
  const warnings = warningsOf(loaded);
  if (options.json) {
    const report = { valid: issues.length === 0, files: loaded.length, issues, warnings };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const issue of [...issues, ...warnings]) io.stdout(`${formatIssue(issue)}\n`);
    if (issues.length === 0) io.stderr(`${loaded.length} file${loaded.length === 1 ? '' : 's'} valid\n`);
  }
  return issues.length === 0 ? ExitCode.OK : ExitCode.INVALID;
}
