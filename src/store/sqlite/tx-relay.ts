import type { Delivery, OutboxEvent, RelayTx } from '../port.js';
import { toOutboxEvent, type OutboxRow } from '../records.js';
import { toDelivery, type DeliveryRow } from '../relay-records.js';
import { SqliteListingTx } from './sqlite-listing-tx.js';

/** The relay's part of a SQLite transaction (port/relay.ts); `SqliteTx` extends it. */
/** Extends the listings' part, so `SqliteTx` has both through one chain of base classes. */
export abstract class SqliteRelayTx extends SqliteListingTx implements RelayTx {
  async takeOutbox(limit: number): Promise<OutboxEvent[]> {
    if (limit <= 0) return [];
    const rows = this.c().stmts.takeOutbox.all(limit) as OutboxRow[];
    return rows.map(toOutboxEvent).sort((a, b) => a.id - b.id);
  }

  async addDeliveries(sinks: readonly string[], events: readonly OutboxEvent[]): Promise<void> {
    const { addDelivery } = this.c().stmts;
    for (const sink of sinks)
      for (const e of events) addDelivery.run(sink, e.id, e.type, JSON.stringify(e.payload), e.create_time);
  }

  async readDeliveries(sink: string, limit: number): Promise<Delivery[]> {
    if (limit <= 0) return [];
    return (this.c().stmts.readDeliveries.all(sink, limit) as DeliveryRow[]).map(toDelivery);
  }

  async ackDeliveries(sink: string, ids: readonly number[]): Promise<void> {
    if (ids.length > 0) this.c().stmts.ackDeliveries.run(sink, JSON.stringify(ids));
  }

  async failDelivery(sink: string, id: number, error: string): Promise<void> {
    this.c().stmts.failDelivery.run(error, sink, id);
  }

  async parkDelivery(sink: string, id: number, reason: string, now: number): Promise<void> {
    this.c().stmts.parkDelivery.run(reason, now, sink, id);
  }

  async listParked(sink: string, afterId: number, limit: number): Promise<Delivery[]> {
    if (limit <= 0) return [];
    return (this.c().stmts.listParked.all(sink, afterId, limit) as DeliveryRow[]).map(toDelivery);
  }

  async resendParked(sink: string, id: number): Promise<boolean> {
    return this.c().stmts.resendParked.run(sink, id).changes > 0;
  }

  async takeLease(name: string, owner: string, now: number, until: number): Promise<boolean> {
    return this.c().stmts.takeLease.get({ name, owner, now, until }) !== undefined;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.c().stmts.releaseLease.run(name, owner);
  }
}
