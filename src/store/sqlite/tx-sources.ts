import type { NewParkedMessage, ParkedMessage } from '../port.js';
import { toParkedMessage, type ParkedMessageRow } from '../records-sources.js';
import type { TxContext } from './tx-context.js';

export function parkSourceMessage(ctx: TxContext, message: NewParkedMessage): ParkedMessage {
  const row = ctx.stmts.parkSourceMessage.get({
    ...message,
    message_id: message.message_id ?? null,
    details: JSON.stringify(message.details),
  }) as ParkedMessageRow | undefined;
  // No row: the message was parked before (same source and message id); that first record stands.
  const stored =
    row ?? (ctx.stmts.getParkedByMessageId.get(message.source, message.message_id) as ParkedMessageRow);
  return toParkedMessage(stored);
}

export function listParkedMessages(
  ctx: TxContext,
  source: string,
  afterId: number,
  limit: number,
): ParkedMessage[] {
  if (limit <= 0) return [];
  const rows = ctx.stmts.listParkedMessages.all(source, afterId, limit) as ParkedMessageRow[];
  return rows.map(toParkedMessage);
}

export function deleteParkedMessage(ctx: TxContext, source: string, id: number): boolean {
  return ctx.stmts.deleteParkedMessage.run(source, id).changes > 0;
}
