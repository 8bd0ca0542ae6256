import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DefinitionFormat } from '../../client/api-client.js';
import { ApiError } from '../../client/errors.js';
import type { ApiErrorDetail } from '../../client/types.js';
import { expandPaths } from '../definition-files.js';
import { ExitCode } from '../io.js';
import { UsageError, type ClientContext } from './context.js';

/** One file's outcome, as `--json` prints it: the API's answer (or error answer) with the file and HTTP status. */
interface PushResult {
  readonly file: string;
  readonly status: number;
  readonly body: unknown;
}

function formatOf(file: string): DefinitionFormat | undefined {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return undefined;
}

/** `FILE:LINE:COLUMN: CODE: message (at field)`, as `baton validate` prints issues. */
function formatDetail(file: string, detail: ApiErrorDetail): string {
  const where = [file, detail.line, detail.column].filter((x) => x !== undefined).join(':');
  const at =
    detail.field !== undefined && detail.field !== '$' && detail.field !== '' ? ` (at ${detail.field})` : '';
  return `${where}: ${detail.code}: ${detail.message}${at}`;
}

/**
 * `baton push FILE|FOLDER...`: sends each definition as written (.json to POST /workflows, .yaml/.yml to
 * POST /workflows/yaml) and says which version each became; the server's errors are printed at their
 * file:line:column. Exit 2 when any file was refused; a server that cannot be reached stops it at once (exit 3).
 */
export async function pushCommand(ctx: ClientContext, inputs: readonly string[]): Promise<ExitCode> {
  const files = expandPaths(ctx.io.cwd, inputs).filter((file) => {
    const full = path.resolve(ctx.io.cwd, file);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      // a missing file is reported below, when it is read
    }
    return !isDir;
  });
  if (files.length === 0)
    throw new UsageError(`no definition files (.json, .yaml, .yml) in ${inputs.join(', ')}`);
  const results: PushResult[] = [];
  let refused = 0;
  for (const file of files) {
    const format = formatOf(file);
    if (format === undefined) throw new UsageError(`${file}: not a .json, .yaml or .yml file`);
    let text: string;
    try {
      text = readFileSync(path.resolve(ctx.io.cwd, file), 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : String(error)}`);
    }
    try {
      const created = await ctx.api.createWorkflow(text, format);
      results.push({ file, status: 200, body: created });
      const meta = created.workflow_definition.metadata;
      if (!ctx.json) {
        ctx.io.stdout(`${file}: ${meta.workflow_id} version ${meta.workflow_version_id}\n`);
        for (const warning of created.warnings ?? [])
          ctx.io.stderr(`${formatDetail(file, warning).replace(': ', ': warning: ')}\n`);
      }
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      refused++;
      results.push({ file, status: error.status, body: error.body });
      if (ctx.json) continue;
      const details =
        error.errors.length > 0 ? error.errors : [{ code: error.body.status, message: error.message }];
      const sorted = [...details].sort(
        (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
      );
      for (const detail of sorted) ctx.io.stderr(`${formatDetail(file, detail)}\n`);
    }
  }
  if (ctx.json) ctx.printJson(results);
  else if (refused > 0) ctx.io.stderr(`baton push: ${refused} of ${files.length} files refused\n`);
  return refused > 0 ? ExitCode.INVALID : ExitCode.OK;
}
