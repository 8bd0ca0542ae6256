import { PassThrough } from 'node:stream';
import type { Clock } from '../engine/clock.js';
import type { LoadedRun } from '../engine/run-record.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import { changeEvents, runSnapshotEvent, sentRunOf, sseFrame, type SentRun } from './views/live-events.js';

export interface LiveStreamOptions {
  /** A keep-alive comment after this long without anything written. */
  readonly keepAliveMs: number;
}

/**
 * One client's `text/event-stream` of one run: the snapshot first, then the changes of each newer version given to
 * `offer`, ending after the run's terminal status. Memory stays bounded whatever the client's pace: while the socket
 * does not take more (backpressure), only the newest offered version is kept, and the changes are computed against
 * what was last sent once it drains. `body` is what the reply sends; when it closes (the client left, or `end`), the
 * `onClose` callback frees what feeds the stream.
 */
export class LiveStream {
  readonly body = new PassThrough();
  #sent: SentRun;
  #pending: LoadedRun | undefined;
  #blocked = false;
  #ended = false;
  #cancelKeepAlive: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly options: LiveStreamOptions,
    first: LoadedRun,
    onClose: () => void,
  ) {
    this.#sent = sentRunOf(first);
    this.body.on('close', () => {
      this.#ended = true;
      this.#cancelKeepAlive?.();
      onClose();
    });
    this.body.on('drain', () => {
      this.#blocked = false;
      this.#flush();
    });
    this.#write(sseFrame(first.run.version, runSnapshotEvent(first, clock.now())));
    if (WORKFLOW_INSTANCE_TRAITS[first.run.status].terminal) this.end();
    else this.#armKeepAlive();
  }

  /** A newer version of the run. */
  offer(loaded: LoadedRun): void {
    if (this.#ended) return;
    this.#pending = loaded;
    if (!this.#blocked) this.#flush();
  }

  /** Ends the stream (the server closes, a read failed); the client sees the response end. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#cancelKeepAlive?.();
    this.body.end();
  }

  #flush(): void {
    const loaded = this.#pending;
    if (loaded === undefined || this.#ended) return;
    this.#pending = undefined;
    const now = this.clock.now();
    const text = changeEvents(this.#sent, loaded, now)
      .map((event) => sseFrame(loaded.run.version, event))
      .join('');
    this.#sent = sentRunOf(loaded);
    if (text !== '') this.#write(text);
    if (WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal) this.end();
  }

  #write(text: string): void {
    if (!this.body.write(text)) this.#blocked = true;
    this.#armKeepAlive();
  }

  #armKeepAlive(): void {
    this.#cancelKeepAlive?.();
    if (this.#ended) return;
    this.#cancelKeepAlive = this.clock.setTimer(this.options.keepAliveMs, () => {
      this.#cancelKeepAlive = undefined;
      if (this.#ended) return;
      if (this.#blocked) this.#armKeepAlive();
      else this.#write(': keep-alive\n\n');
    });
  }
}
