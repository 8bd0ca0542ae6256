// The API token statements (port/tokens.ts), named with the rest of `SQL`.

const TOKEN_COLUMNS = 'id, name, role, secret_hash, create_time, last_used_time, revoke_time';

export const TOKEN_SQL = {
  insertToken: `INSERT INTO api_token (id, name, role, secret_hash, create_time)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
  getToken: `SELECT ${TOKEN_COLUMNS} FROM api_token WHERE id = $1`,
  listTokens: `SELECT ${TOKEN_COLUMNS} FROM api_token ORDER BY create_time, id`,
  revokeToken: 'UPDATE api_token SET revoke_time = $1 WHERE id = $2 AND revoke_time IS NULL',
  touchToken: `UPDATE api_token SET last_used_time = $1
    WHERE id = $2 AND (last_used_time IS NULL OR last_used_time < $1)`,
} as const;
