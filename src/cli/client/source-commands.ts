import { ExitCode } from '../io.js';
import { UsageError, type ClientContext } from './context.js';
import { formatTime, table } from './format.js';

/** `baton source parked SOURCE`: the messages a signal source could not turn into a signal, oldest first. */
export async function sourceParkedCommand(
  ctx: ClientContext,
  source: string,
  options: { readonly first?: string; readonly cursor?: string },
): Promise<ExitCode> {
  const first = options.first === undefined ? undefined : Number(options.first);
  if (first !== undefined && !(Number.isInteger(first) && first >= 1 && first <= 200))
    throw new UsageError(`--first must be a whole number from 1 to 200, not '${options.first}'`);
  const page = await ctx.api.listParkedMessages(source, {
    ...(first === undefined ? {} : { first }),
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
  });
  if (ctx.json) ctx.printJson(page);
  else if (page.elements.length === 0) ctx.io.stdout(`source ${source} has no parked messages\n`);
  else {
    const rows = page.elements.map((m) => [
      String(m.id),
      formatTime(m.parked_at),
      m.message_id ?? '-',
      m.reason,
    ]);
    ctx.io.stdout(table(['ID', 'PARKED', 'MESSAGE', 'REASON'], rows));
    if (page.page_info.has_next_page)
      ctx.io.stdout(`more: baton source parked ${source} --cursor ${page.page_info.end_cursor}\n`);
  }
  return ExitCode.OK;
}

/** `baton source forget SOURCE ID`: removes a parked message someone has looked at. */
export async function sourceForgetCommand(ctx: ClientContext, source: string, id: string): Promise<ExitCode> {
  if (!/^[1-9][0-9]{0,14}$/.test(id))
    throw new UsageError(`the parked message id is a whole number, not '${id}'`);
  await ctx.api.deleteParkedMessage(source, Number(id));
  if (ctx.json) ctx.printJson({ source, id: Number(id), deleted: true });
  else ctx.io.stdout(`parked message ${id} of source ${source} removed\n`);
  return ExitCode.OK;
}
