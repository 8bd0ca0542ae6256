import type { NewParkedMessage, ParkedMessage } from '../port.js';
import { toParkedMessage, type ParkedMessageRow } from '../records-sources.js';
import type { Query } from './query.js';

// Parked source messages on PostgreSQL: plain rows, no locks (port/sources.ts). A second park of the same message is
// answered by ON CONFLICT, so it does not abort the caller's transaction.

type Row = ParkedMessageRow & Record<string, unknown>;

export async function parkSourceMessage(q: Query, m: NewParkedMessage): Promise<ParkedMessage> {
  const values = [m.source, m.message_id ?? null, m.body, m.encoding, m.reason, JSON.stringify(m.details)];
  const [row] = (await q<Row>('parkSourceMessage', [...values, m.parked_at])).rows;
  // No row: the message was parked before (same source and message id); that first record stands.
  const stored = row ?? (await q<Row>('getParkedByMessageId', [m.source, m.message_id])).rows[0]!;
  return toParkedMessage(stored);
}

export async function listParkedMessages(
  q: Query,
  source: string,
  afterId: number,
  limit: number,
): Promise<ParkedMessage[]> {
  if (limit <= 0) return [];
  return (await q<Row>('listParkedMessages', [source, afterId, limit])).rows.map(toParkedMessage);
}

export async function deleteParkedMessage(q: Query, source: string, id: number): Promise<boolean> {
  return (await q('deleteParkedMessage', [source, id])).count > 0;
}
