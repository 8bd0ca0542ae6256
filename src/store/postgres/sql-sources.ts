// The signal sources' statements (port/sources.ts), named with the rest of `SQL`.
import { PARKED_MESSAGE_COLUMNS } from '../records-sources.js';

export const SOURCE_SQL = {
  parkSourceMessage: `INSERT INTO source_parked (source, message_id, body, encoding, reason, details, parked_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (source, message_id) DO NOTHING RETURNING ${PARKED_MESSAGE_COLUMNS}`,
  getParkedByMessageId: `SELECT ${PARKED_MESSAGE_COLUMNS} FROM source_parked WHERE source = $1 AND message_id = $2`,
  listParkedMessages: `SELECT ${PARKED_MESSAGE_COLUMNS} FROM source_parked
    WHERE source = $1 AND id > $2 ORDER BY id LIMIT $3`,
  deleteParkedMessage: 'DELETE FROM source_parked WHERE source = $1 AND id = $2',
} as const;
