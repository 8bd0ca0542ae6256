import type { Clock } from '../../engine/clock.js';
import { ValidationError } from '../../model/errors.js';
import type { AnnouncedSignal, SignalAnnouncer } from '../../model/signal.js';
import type { ParkedMessage, Store } from '../../store/port.js';
import type { SourceConfig } from './config.js';
import { bodyText, MalformedMessage, readMessage, type InboundMessage } from './mapping.js';

export interface IntakeDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** The one path by which signals enter Baton: validates, stores exactly once, resolves after commit. */
  readonly announcer: SignalAnnouncer;
  /** One line per parked message and per failure; default nothing. */
  readonly log?: (line: string) => void;
}

/** What became of one message: a signal (new or a duplicate of one stored before), or a parked record. */
export type Intake =
  | { readonly kind: 'announced'; readonly announced: AnnouncedSignal }
  | { readonly kind: 'parked'; readonly reason: string; readonly parked: ParkedMessage };

/** Parked message bodies are kept up to this many characters (a message that large is surely not a signal). */
export const MAX_PARKED_BODY = 1024 * 1024;

/**
 * Turns one source message into a signal through the announcer, the step every source shares. It resolves once
 * the outcome is committed — the signal announced, or the message parked with the reason when it is the message's
 * fault (a `MalformedMessage` of the mapping, a `ValidationError` of the announcer) — so the caller acknowledges
 * the message then. Any other failure (the store is down) is thrown: the caller leaves the message unacknowledged
 * for the broker to deliver again after a backoff.
 */
export async function takeMessage(
  deps: IntakeDeps,
  source: SourceConfig,
  message: InboundMessage,
): Promise<Intake> {
  let reason: string;
  try {
    const announcement = readMessage(source.name, source.signal, message);
    return { kind: 'announced', announced: await deps.announcer.announce(announcement) };
  } catch (error) {
    if (error instanceof MalformedMessage) reason = error.message;
    else if (error instanceof ValidationError)
      reason = `the announcer refused the signal: ${describe(error)}`;
    else throw error;
  }
  const parked = await park(deps, source.name, message, reason);
  deps.log?.(`source ${source.name}: message ${parked.message_id ?? `#${parked.id}`} parked: ${reason}`);
  return { kind: 'parked', reason, parked };
}

function park(
  deps: IntakeDeps,
  source: string,
  message: InboundMessage,
  reason: string,
): Promise<ParkedMessage> {
  const text = bodyText(message.body);
  const [body, encoding] =
    text === undefined
      ? [Buffer.from(message.body).toString('base64'), 'base64' as const]
      : [text, 'utf8' as const];
  const truncated = body.length > MAX_PARKED_BODY;
  return deps.store.transact((tx) =>
    tx.parkSourceMessage({
      source,
      ...(message.brokerId === undefined ? {} : { message_id: message.brokerId }),
      body: truncated ? body.slice(0, MAX_PARKED_BODY) : body,
      encoding,
      reason,
      details: { ...message.details, ...(truncated ? { truncated_from: body.length } : {}) },
      parked_at: deps.clock.now(),
    }),
  );
}

function describe(error: ValidationError): string {
  const issues = error.issues.map(
    (i) => `${i.message}${i.path.length > 0 ? ` (at ${i.path.join('.')})` : ''}`,
  );
  return issues.length > 0 ? issues.join('; ') : error.message;
}
