export { loadEventsConfig, parseEventsConfig } from './config.js';
export type { EventsConfig, SinkConfig, SinkType } from './config.js';
export { startRelay } from './relay.js';
export type { Relay, RelayDeps, RelayOptions } from './relay.js';
export { webhookSignature } from './sinks/webhook.js';
export { nameUuid, shapeEvent, stepUuid } from './event-shape.js';
