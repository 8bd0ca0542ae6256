import type { JsonObject } from '../model/json.js';
import type { Delivery } from './port.js';

/** A row of `event_delivery`, as both adapters read it. */
export interface DeliveryRow {
  sink: string;
  id: number;
  type: string;
  payload: string;
  create_time: number;
  attempts: number;
  last_error: string | null;
  parked_at: number | null;
}

export function toDelivery(row: DeliveryRow): Delivery {
  const out: { -readonly [K in keyof Delivery]: Delivery[K] } = {
    sink: row.sink,
    id: row.id,
    type: row.type,
    payload: JSON.parse(row.payload) as JsonObject,
    create_time: row.create_time,
    attempts: row.attempts,
  };
  if (row.last_error !== null) out.last_error = row.last_error;
  if (row.parked_at !== null) out.parked_at = row.parked_at;
  return out;
}
