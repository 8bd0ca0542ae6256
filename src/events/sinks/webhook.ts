import { createHmac } from 'node:crypto';
import type { SinkConfig } from '../config.js';
import { DEFAULT_SEND_TIMEOUT_MS, PermanentSinkError, type OutgoingEvent, type Sink } from '../sink.js';

type WebhookConfig = Extract<SinkConfig, { type: 'webhook' }>;

/**
 * The signature a receiver checks: HMAC-SHA256, keyed with the shared secret, of `TIMESTAMP.BODY` (the
 * `Baton-Timestamp` header, a dot, the raw request body), hex. The timestamp is signed too, so an old request sent
 * again is refused by a receiver that checks the timestamp is recent (docs/events.md).
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** HTTP statuses that mean "not now" although they are 4xx: the event is sent again later. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/** POSTs each event as JSON, signed (`Baton-Signature`) with the sink's secret. */
export function webhookSink(config: WebhookConfig): Sink {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  return {
    name: config.name,
    async send(event: OutgoingEvent): Promise<void> {
      const timestamp = String(event.sendTime);
      const response = await fetch(config.url, {
        method: 'POST',
        headers: {
          ...config.headers,
          'content-type': 'application/json',
          'baton-event-id': String(event.id),
          'baton-event-type': event.type,
          'baton-timestamp': timestamp,
          'baton-signature': webhookSignature(config.secret, timestamp, event.body),
        },
        body: event.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      const why = `HTTP ${response.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`;
      if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status))
        throw new PermanentSinkError(why);
      throw new Error(why);
    },
    async reset() {},
    async close() {},
  };
}
