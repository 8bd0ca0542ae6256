// The event relay's statements (port/relay.ts), merged into `SQL` (sql.ts) so they share its names and preparing.

const DELIVERY_COLUMNS = 'sink, id, type, payload, create_time, attempts, last_error, parked_at';

export const RELAY_SQL = {
  // A statement of its own, before the take: under READ COMMITTED the take's snapshot is then taken after the lock
  // is granted, so it sees everything the previous taker committed.
  lockOutboxTake: 'SELECT id FROM outbox_take WHERE id = 1 FOR UPDATE',
  takeOutbox: `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT $1)
    RETURNING id, type, payload, create_time`,
  addDeliveries: `INSERT INTO event_delivery (sink, id, type, payload, create_time)
    SELECT s.sink, e.id, e.type, e.payload, e.create_time
    FROM unnest($1::text[]) AS s (sink)
    CROSS JOIN unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[]) AS e (id, type, payload, create_time)
    ON CONFLICT (sink, id) DO NOTHING`,
  readDeliveries: `SELECT ${DELIVERY_COLUMNS} FROM event_delivery
    WHERE sink = $1 AND parked_at IS NULL ORDER BY id LIMIT $2`,
  ackDeliveries: 'DELETE FROM event_delivery WHERE sink = $1 AND id = ANY($2::bigint[])',
  failDelivery:
    'UPDATE event_delivery SET attempts = attempts + 1, last_error = $3 WHERE sink = $1 AND id = $2',
  parkDelivery: `UPDATE event_delivery SET attempts = attempts + 1, last_error = $3, parked_at = $4
    WHERE sink = $1 AND id = $2`,
  resendParked: `UPDATE event_delivery SET parked_at = NULL, attempts = 0, last_error = NULL
    WHERE sink = $1 AND id = $2 AND parked_at IS NOT NULL`,
  listParked: `SELECT ${DELIVERY_COLUMNS} FROM event_delivery
    WHERE sink = $1 AND parked_at IS NOT NULL AND id > $2 ORDER BY id LIMIT $3`,
  takeLease: `INSERT INTO relay_lease (name, owner, lease_until) VALUES ($1, $2, $4)
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
      WHERE relay_lease.owner = excluded.owner OR relay_lease.lease_until <= $3
    RETURNING owner`,
  releaseLease: 'UPDATE relay_lease SET lease_until = 0 WHERE name = $1 AND owner = $2',
} as const;
