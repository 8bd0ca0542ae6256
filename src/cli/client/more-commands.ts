import { ExitCode } from '../io.js';
import type { ClientContext } from './context.js';
import { formatTime, table } from './format.js';

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
