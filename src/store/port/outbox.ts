import type { JsonObject } from '../../model/json.js';

/** The outbox: events committed with the transition that caused them, published by the relay. */
export interface OutboxTx {
  appendOutbox(events: readonly NewOutboxEvent[]): Promise<void>;
  readOutbox(afterId: number, limit: number): Promise<OutboxEvent[]>;
}

export interface NewOutboxEvent {
  readonly type: string;
  readonly payload: JsonObject;
  readonly create_time: number;
}

export interface OutboxEvent extends NewOutboxEvent {
  readonly id: number;
}
