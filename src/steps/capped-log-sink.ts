import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * Receives one output stream of a step process: shows every chunk to `observe` (marker scan, stderr tail) and writes
 * at most `maxBytes` of it to a log file, then a last "[truncated N bytes]" line. The write callback waits for the
 * file, so a fast writer is slowed by backpressure instead of filling memory. With no path nothing is written.
 */
export class CappedLogSink extends Writable {
  readonly #file: FileHandle | undefined;
  readonly #maxBytes: number;
  readonly #observe: (chunk: Buffer) => void;
  #written = 0;
  #dropped = 0;
  #endsWithNewline = true;
  #closed = false;

  private constructor(file: FileHandle | undefined, maxBytes: number, observe: (chunk: Buffer) => void) {
    super();
    this.#file = file;
    this.#maxBytes = maxBytes;
    this.#observe = observe;
  }

  /** Opens (and truncates: a re-run of the attempt starts a fresh log) the file at `path`, if any. */
  static async open(
    path: string | undefined,
    maxBytes: number,
    observe: (chunk: Buffer) => void,
  ): Promise<CappedLogSink> {
    const file = path === undefined ? undefined : await open(path, 'w');
    return new CappedLogSink(file, maxBytes, observe);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#observe(chunk);
    const room = Math.max(0, this.#maxBytes - this.#written);
    const kept = chunk.subarray(0, room);
    this.#dropped += chunk.length - kept.length;
    if (this.#file === undefined || kept.length === 0) {
      callback();
      return;
    }
    this.#written += kept.length;
    this.#endsWithNewline = kept[kept.length - 1] === 0x0a;
    this.#file.write(kept).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#close().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? (closeError instanceof Error ? closeError : null)),
    );
  }

  async #finish(): Promise<void> {
    if (this.#file !== undefined && this.#dropped > 0) {
      await this.#file.write(`${this.#endsWithNewline ? '' : '\n'}[truncated ${this.#dropped} bytes]\n`);
    }
    await this.#close();
  }

  async #close(): Promise<void> {
    if (this.#closed || this.#file === undefined) return;
    this.#closed = true;
    await this.#file.close();
  }
}

/** Keeps the last `maxBytes` of a stream, to quote the end of stderr in an error message. */
export class TailBuffer {
  readonly #maxBytes: number;
  #tail = Buffer.alloc(0);

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.#tail, chunk.subarray(Math.max(0, chunk.length - this.#maxBytes))]);
    this.#tail = joined.subarray(Math.max(0, joined.length - this.#maxBytes));
  }

  /** The last `count` non-blank lines (the first may be cut short when the buffer started mid-line). */
  lastLines(count: number): string[] {
    return this.#tail
      .toString('utf8')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-count);
  }
}
