import type { SignalCreateRequest } from '../../client/types.js';
import { ExitCode } from '../io.js';
import { parseParams } from '../run-command.js';
import { UsageError, type ClientContext } from './context.js';
import { formatTime, table } from './format.js';

/** `baton signal NAME [--param k=v ...]`: announces a signal (what signal triggers and dependencies wait for). */
export async function signalCommand(
  ctx: ClientContext,
  name: string,
  options: { readonly param: readonly string[]; readonly requestId?: string },
): Promise<ExitCode> {
  const values = parseParams(options.param);
  if (typeof values === 'string') throw new UsageError(values);
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && Number.isInteger(value)) params[key] = value;
    else if (typeof value === 'string') params[key] = value;
    else throw new UsageError(`--param ${key}: a signal param is text or a whole number`);
  }
  const request: SignalCreateRequest = {
    name,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(options.requestId === undefined ? {} : { request_id: options.requestId }),
  };
  const answer = await ctx.api.announceSignal(request);
  if (ctx.json) ctx.printJson(answer ?? {});
  else ctx.io.stdout(`announced ${name}${answer?.seq_id ? ` (#${answer.seq_id})` : ''}\n`);
  return ExitCode.OK;
}

/** `baton token create NAME --role R`: the secret is printed once (on its own line, so `$(baton token create …)` works). */
export async function tokenCreateCommand(ctx: ClientContext, name: string, role: string): Promise<ExitCode> {
  const answer = await ctx.api.createToken({ name, role });
  if (ctx.json) ctx.printJson(answer);
  else {
    ctx.io.stdout(`${answer.token}\n`);
    ctx.io.stderr(
      `token ${answer.id} '${answer.name}' (${answer.role}) created; it is shown only this once\n`,
    );
  }
  return ExitCode.OK;
}

export async function tokenListCommand(ctx: ClientContext): Promise<ExitCode> {
  const tokens = await ctx.api.listTokens();
  if (ctx.json) ctx.printJson(tokens);
  else if (tokens.length === 0) ctx.io.stdout('no tokens\n');
  else
    ctx.io.stdout(
      table(
        ['ID', 'NAME', 'ROLE', 'CREATED'],
        tokens.map((t) => [t.id, t.name, t.role, formatTime(t.create_time)]),
      ),
    );
  return ExitCode.OK;
}

export async function tokenRevokeCommand(ctx: ClientContext, id: string): Promise<ExitCode> {
  await ctx.api.revokeToken(id);
  if (ctx.json) ctx.printJson({ id, revoked: true });
  else ctx.io.stdout(`token ${id} revoked\n`);
  return ExitCode.OK;
}
