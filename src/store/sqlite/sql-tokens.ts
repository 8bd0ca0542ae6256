// The API token statements (port/tokens.ts), prepared with the rest of `SQL`.

const TOKEN_COLUMNS = 'id, name, role, secret_hash, create_time, last_used_time, revoke_time';

export const TOKEN_SQL = {
  insertToken: `INSERT INTO api_token (id, name, role, secret_hash, create_time)
    VALUES (@id, @name, @role, @secret_hash, @create_time) ON CONFLICT (id) DO NOTHING`,
  getToken: `SELECT ${TOKEN_COLUMNS} FROM api_token WHERE id = ?`,
  listTokens: `SELECT ${TOKEN_COLUMNS} FROM api_token ORDER BY create_time, id`,
  revokeToken: 'UPDATE api_token SET revoke_time = ? WHERE id = ? AND revoke_time IS NULL',
  touchToken: `UPDATE api_token SET last_used_time = ?
    WHERE id = ? AND (last_used_time IS NULL OR last_used_time < ?)`,
} as const;
