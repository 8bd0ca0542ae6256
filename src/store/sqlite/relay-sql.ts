// The event relay's statements (port/relay.ts), merged into `SQL` (sql.ts) so they are prepared with the rest.

const DELIVERY_COLUMNS = 'sink, id, type, payload, create_time, attempts, last_error, parked_at';

export const RELAY_SQL = {
  // One process writes the file and its transactions run one at a time: the take needs no lock row.
  takeOutbox:
    'DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?) RETURNING id, type, payload, create_time',
  addDelivery: `INSERT INTO event_delivery (sink, id, type, payload, create_time) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (sink, id) DO NOTHING`,
  readDeliveries: `SELECT ${DELIVERY_COLUMNS} FROM event_delivery
    WHERE sink = ? AND parked_at IS NULL ORDER BY id LIMIT ?`,
  ackDeliveries: 'DELETE FROM event_delivery WHERE sink = ? AND id IN (SELECT value FROM json_each(?))',
  failDelivery: 'UPDATE event_delivery SET attempts = attempts + 1, last_error = ? WHERE sink = ? AND id = ?',
  parkDelivery: `UPDATE event_delivery SET attempts = attempts + 1, last_error = ?, parked_at = ?
    WHERE sink = ? AND id = ?`,
  resendParked: `UPDATE event_delivery SET parked_at = NULL, attempts = 0, last_error = NULL
    WHERE sink = ? AND id = ? AND parked_at IS NOT NULL`,
  listParked: `SELECT ${DELIVERY_COLUMNS} FROM event_delivery
    WHERE sink = ? AND parked_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?`,
  takeLease: `INSERT INTO relay_lease (name, owner, lease_until) VALUES (@name, @owner, @until)
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
      WHERE relay_lease.owner = excluded.owner OR relay_lease.lease_until <= @now
    RETURNING owner`,
  releaseLease: 'UPDATE relay_lease SET lease_until = 0 WHERE name = ? AND owner = ?',
} as const;
