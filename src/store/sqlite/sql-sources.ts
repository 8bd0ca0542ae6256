// The signal sources' statements (port/sources.ts), prepared with the rest of `SQL`.
import { PARKED_MESSAGE_COLUMNS } from '../records-sources.js';

export const SOURCE_SQL = {
  parkSourceMessage: `INSERT INTO source_parked (source, message_id, body, encoding, reason, details, parked_at)
    VALUES (@source, @message_id, @body, @encoding, @reason, @details, @parked_at)
    ON CONFLICT (source, message_id) DO NOTHING RETURNING ${PARKED_MESSAGE_COLUMNS}`,
  getParkedByMessageId: `SELECT ${PARKED_MESSAGE_COLUMNS} FROM source_parked WHERE source = ? AND message_id = ?`,
  listParkedMessages: `SELECT ${PARKED_MESSAGE_COLUMNS} FROM source_parked
    WHERE source = ? AND id > ? ORDER BY id LIMIT ?`,
  deleteParkedMessage: 'DELETE FROM source_parked WHERE source = ? AND id = ?',
} as const;
