/**
 * The event relay (docs/decisions/0014-event-relay.md): events move out of the outbox into one queue per sink, taken
 * one taker at a time (the `outbox_take` row is the lock), and a sink is owned by one relay process at a time through
 * a lease row.
 */
export const MIGRATION_0009_EVENT_RELAY = `
CREATE TABLE outbox_take (
  id INT PRIMARY KEY CHECK (id = 1)
);
INSERT INTO outbox_take (id) VALUES (1);
CREATE TABLE event_delivery (
  sink        TEXT    NOT NULL,
  id          BIGINT  NOT NULL,
  type        TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  create_time BIGINT  NOT NULL,
  attempts    INT     NOT NULL DEFAULT 0,
  last_error  TEXT,
  parked_at   BIGINT,
  PRIMARY KEY (sink, id)
);
CREATE INDEX event_delivery_parked ON event_delivery (sink, id) WHERE parked_at IS NOT NULL;
CREATE TABLE relay_lease (
  name        TEXT    NOT NULL PRIMARY KEY,
  owner       TEXT    NOT NULL,
  lease_until BIGINT  NOT NULL
);
`;
