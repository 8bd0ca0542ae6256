import type { JsonObject } from '../model/json.js';
import type { ParkedMessage } from './port.js';

/** A parked source message as both adapters read it (PostgreSQL's BIGINT columns arrive as text). */
export interface ParkedMessageRow {
  readonly id: number | string;
  readonly source: string;
  readonly message_id: string | null;
  readonly body: string;
  readonly encoding: string;
  readonly reason: string;
  readonly details: string | JsonObject;
  readonly parked_at: number | string;
}

export const PARKED_MESSAGE_COLUMNS = 'id, source, message_id, body, encoding, reason, details, parked_at';

export function toParkedMessage(row: ParkedMessageRow): ParkedMessage {
  return {
    id: Number(row.id),
    source: row.source,
    ...(row.message_id === null ? {} : { message_id: row.message_id }),
    body: row.body,
    encoding: row.encoding === 'base64' ? 'base64' : 'utf8',
    reason: row.reason,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as JsonObject) : row.details,
    parked_at: Number(row.parked_at),
  };
}
