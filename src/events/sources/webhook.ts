import { timingSafeEqual } from 'node:crypto';
import { webhookSignature } from '../sinks/webhook.js';
import type { SourceOf } from './config.js';
import type { InboundMessage } from './mapping.js';

/** A request signed further than this from the server's clock is refused: a replay keeps its old timestamp. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

/**
 * Checks an inbound webhook request the way docs/events.md tells receivers of Baton's own webhooks to:
 * `Baton-Signature` is `sha256=` and the hex HMAC-SHA256, keyed with the source's secret, of `Baton-Timestamp`, a
 * dot and the raw body; the timestamp (epoch ms) must be within `WEBHOOK_TOLERANCE_MS` of `now`. Undefined when the
 * request is good, else why not (the API answers 401 with it; nothing is parked, the sender is not known).
 */
export function webhookRefusal(
  secret: string,
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  rawBody: string,
  now: number,
): string | undefined {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined)
    return 'the request needs the headers Baton-Timestamp and Baton-Signature (HMAC-SHA256 of TIMESTAMP.BODY)';
  if (!/^[0-9]{1,16}$/.test(timestamp)) return 'Baton-Timestamp must be epoch milliseconds';
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'Baton-Signature does not match the body: wrong secret, or the body changed on the way';
  if (Math.abs(now - Number(timestamp)) > WEBHOOK_TOLERANCE_MS)
    return `Baton-Timestamp is more than ${WEBHOOK_TOLERANCE_MS / 60_000} minutes from the server's clock`;
  return undefined;
}

/** A verified request as a source message; its id is `Baton-Event-Id` or `Idempotency-Key` when sent. */
export function webhookMessage(
  source: SourceOf<'webhook'>,
  rawBody: string,
  eventId: string | undefined,
): InboundMessage {
  return {
    body: rawBody,
    ...(eventId ? { brokerId: eventId } : {}),
    details: { webhook: source.name, ...(eventId ? { event_id: eventId } : {}) },
  };
}
