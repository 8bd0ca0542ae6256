import type { JsonObject } from '../../model/json.js';

/**
 * What the signal sources keep in the store: the messages they could not turn into a signal (not JSON, a mapping
 * that finds no name, a param of the wrong type, an announcement the announcer refused), parked with the reason so
 * that none is dropped silently (docs/signal-sources.md, decision 0018). Rows of their own: nothing here locks.
 */
export interface SourceTx {
  /**
   * Parks a message. A message with a `message_id` is parked once per source: parking it again (the broker
   * redelivered it because the ack after the first park was lost) returns the record already there, unchanged.
   */
  parkSourceMessage(message: NewParkedMessage): Promise<ParkedMessage>;
  /** A source's parked messages after id `afterId`, oldest first. */
  listParkedMessages(source: string, afterId: number, limit: number): Promise<ParkedMessage[]>;
  /** Removes one parked message (someone looked at it); false when the source has none with this id. */
  deleteParkedMessage(source: string, id: number): Promise<boolean>;
}

export interface NewParkedMessage {
  readonly source: string;
  /** The broker's id of the message (or the request id it carries), when it has one. */
  readonly message_id?: string;
  /** The message as received: UTF-8 text, or base64 when it was not valid UTF-8. */
  readonly body: string;
  readonly encoding: 'utf8' | 'base64';
  readonly reason: string;
  /** Where it came from: subject, stream sequence, routing key, delivery count, and the like. */
  readonly details: JsonObject;
  readonly parked_at: number;
}

export interface ParkedMessage extends NewParkedMessage {
  readonly id: number;
}
