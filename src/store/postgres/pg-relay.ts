import type { Delivery, OutboxEvent, RelayTx } from '../port.js';
import { toOutboxEvent, type OutboxRow } from '../records.js';
import { toDelivery, type DeliveryRow } from '../relay-records.js';
import { PgListingTx } from './pg-listing-tx.js';

/** The relay's part of a PostgreSQL transaction (port/relay.ts); `PgTx` extends it. */
/** Extends the listings' part, so `PgTx` has both through one chain of base classes. */
export abstract class PgRelayTx extends PgListingTx implements RelayTx {
  async takeOutbox(limit: number): Promise<OutboxEvent[]> {
    if (limit <= 0) return [];
    await this.query('lockOutboxTake', []);
    const { rows } = await this.query<OutboxRow>('takeOutbox', [limit]);
    return rows.map(toOutboxEvent).sort((a, b) => a.id - b.id);
  }

  async addDeliveries(sinks: readonly string[], events: readonly OutboxEvent[]): Promise<void> {
    if (sinks.length === 0 || events.length === 0) return;
    await this.query('addDeliveries', [
      [...sinks],
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.payload)),
      events.map((e) => e.create_time),
    ]);
  }

  async readDeliveries(sink: string, limit: number): Promise<Delivery[]> {
    if (limit <= 0) return [];
    return (await this.query<DeliveryRow>('readDeliveries', [sink, limit])).rows.map(toDelivery);
  }

  async ackDeliveries(sink: string, ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.query('ackDeliveries', [sink, [...ids]]);
  }

  async failDelivery(sink: string, id: number, error: string): Promise<void> {
    await this.query('failDelivery', [sink, id, error]);
  }

  async parkDelivery(sink: string, id: number, reason: string, now: number): Promise<void> {
    await this.query('parkDelivery', [sink, id, reason, now]);
  }

  async resendParked(sink: string, id: number): Promise<boolean> {
    return (await this.query('resendParked', [sink, id])).count > 0;
  }

  async listParked(sink: string, afterId: number, limit: number): Promise<Delivery[]> {
    if (limit <= 0) return [];
    return (await this.query<DeliveryRow>('listParked', [sink, afterId, limit])).rows.map(toDelivery);
  }

  async takeLease(name: string, owner: string, now: number, until: number): Promise<boolean> {
    return (await this.query('takeLease', [name, owner, now, until])).count > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.query('releaseLease', [name, owner]);
  }
}
