import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { Clock } from '../engine/clock.js';
import { ValidationError } from '../model/errors.js';
import type { RunKey } from '../store/port.js';

/** `tail=N` reads at most this much of the end of a log: logs are capped (Shell: 1 MiB by default) anyway. */
const TAIL_WINDOW_BYTES = 4 * 1024 * 1024;
/** A followed log is read in pieces of at most this size, so one read never holds more. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The file of one attempt's log, built from its parts (never taken from the request): `<logDir>/<workflow>/<instance>/
 * <run>/<step>/<attempt>/<file>`, as the worker pool lays them out. The ids were checked against their patterns
 * already; a result outside `logDir` is refused all the same.
 */
export function attemptLogFile(
  logDir: string,
  key: RunKey,
  stepId: string,
  attempt: number,
  file: string,
): string {
  const root = path.resolve(logDir);
  const out = path.join(
    root,
    key.workflow_id,
    String(key.instance_id),
    String(key.run_id),
    stepId,
    String(attempt),
    file,
  );
  const relative = path.relative(root, out);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new ValidationError(`the log of step '${stepId}' would be outside the log folder`, []);
  return out;
}

/** The size of a file, or undefined when there is none. */
export async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Where the last `lines` lines of a file start (a byte offset), looking at most at its last `TAIL_WINDOW_BYTES`. */
export async function tailOffset(file: string, lines: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_WINDOW_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    // A last line without its newline counts as a line; the newline that ends the file does not start one.
    let end = buffer.length;
    if (end > 0 && buffer[end - 1] === 0x0a) end--;
    let found = 0;
    for (let i = end - 1; i >= 0; i--) {
      if (buffer[i] === 0x0a && ++found === lines) return start + i + 1;
    }
    return start;
  } finally {
    await handle.close();
  }
}

/** The file from `offset` to its current end. */
export function readFrom(file: string, offset: number): Readable {
  return createReadStream(file, { start: offset });
}

export interface LogFollowOptions {
  /** How often to look at the file for more. */
  readonly pollMs: number;
}

/**
 * A log read from `offset` and then as it grows, until `finish()` (the attempt ended): what was appended by then is
 * sent, and the body ends. A file that does not exist yet is waited for. One read at a time, at most
 * `READ_CHUNK_BYTES`, and only while the client takes what was sent (backpressure), so memory stays bounded. When the
 * body closes (the client left, or the end), `onClose` frees what feeds it.
 */
export class LogFollower {
  readonly body = new PassThrough();
  #offset: number;
  #finishing = false;
  #closed = false;
  #busy = false;
  #cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly options: LogFollowOptions,
    private readonly file: string,
    offset: number,
    onClose: () => void,
  ) {
    this.#offset = offset;
    this.body.on('close', () => {
      this.#closed = true;
      this.#cancelTimer?.();
      onClose();
    });
    this.body.on('drain', () => this.#pump());
    this.#pump();
  }

  /** The attempt ended: send the rest and end. */
  finish(): void {
    this.#finishing = true;
    this.#pump();
  }

  /** Ends at once (the server closes, a read failed). */
  end(): void {
    if (this.#closed || this.body.writableEnded) return;
    this.#cancelTimer?.();
    this.body.end();
  }

  #pump(): void {
    if (this.#busy || this.#closed || this.body.writableEnded) return;
    this.#busy = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#readMore().then(
      (more) => {
        this.#busy = false;
        if (this.#closed || this.body.writableEnded) return;
        if (more === 'blocked') return; // 'drain' pumps again
        if (more === 'read') return this.#pump();
        if (this.#finishing) return void this.body.end();
        this.#cancelTimer = this.clock.setTimer(this.options.pollMs, () => this.#pump());
      },
      (error: unknown) => {
        this.#busy = false;
        this.body.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Reads one piece of what was appended: 'read' (there may be more), 'blocked' (wait for drain), 'idle'. */
  async #readMore(): Promise<'read' | 'blocked' | 'idle'> {
    const size = await sizeOf(this.file);
    if (size === undefined) return 'idle';
    // A file that shrank was started again (an attempt run again after its worker died): read it from its start.
    if (size < this.#offset) this.#offset = 0;
    if (size === this.#offset) return 'idle';
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(READ_CHUNK_BYTES, size - this.#offset));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
      this.#offset += bytesRead;
      if (this.#closed) return 'idle';
      return this.body.write(buffer.subarray(0, bytesRead)) ? 'read' : 'blocked';
    } finally {
      await handle.close();
    }
  }
}
