/** Maestro's marker tokens (its Kubernetes runtime sets the same values), so scripts written for Maestro work as is. */
export const MAESTRO_OUTPUT_START = 'MAESTRO_OUTPUT_START_TOKEN';
export const MAESTRO_OUTPUT_END = 'MAESTRO_OUTPUT_END_TOKEN';

/** The outcome of a scan: no block, the text of the last complete block, or why the last block is unusable. */
export type MarkerScan =
  | { readonly kind: 'none' }
  | { readonly kind: 'block'; readonly text: string; readonly ordinal: number }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Finds `<start>json<end>` blocks in a stream of text as it arrives, so stdout never has to be held in memory: outside
 * a block it keeps only a token-length tail (a marker may be split across chunks), inside a block at most
 * `maxBlockChars`. As in Maestro, the last complete block wins; a block that never ends is an error.
 */
export class MarkerScanner {
  readonly #start: string;
  readonly #end: string;
  readonly #maxBlockChars: number;
  #inside = false;
  #pending = '';
  #oversized = false;
  #ordinal = 0;
  #last: MarkerScan = { kind: 'none' };

  constructor(maxBlockChars: number, start = MAESTRO_OUTPUT_START, end = MAESTRO_OUTPUT_END) {
    this.#start = start;
    this.#end = end;
    this.#maxBlockChars = maxBlockChars;
  }

  push(text: string): void {
    let rest = text;
    while (rest.length > 0) rest = this.#inside ? this.#scanInside(rest) : this.#scanOutside(rest);
  }

  /** Call once the stream has ended. */
  finish(): MarkerScan {
    if (this.#inside) {
      return {
        kind: 'error',
        message: `output block ${this.#ordinal} on stdout starts with $MAESTRO_OUTPUT_START but never ends with $MAESTRO_OUTPUT_END`,
      };
    }
    return this.#last;
  }

  /** Returns the text left after the start token, or '' once the tail is kept for the next chunk. */
  #scanOutside(text: string): string {
    const buffer = this.#pending + text;
    const at = buffer.indexOf(this.#start);
    if (at < 0) {
      this.#pending = buffer.slice(Math.max(0, buffer.length - (this.#start.length - 1)));
      return '';
    }
    this.#inside = true;
    this.#pending = '';
    this.#oversized = false;
    this.#ordinal += 1;
    return buffer.slice(at + this.#start.length);
  }

  #scanInside(text: string): string {
    // Search only where a new end token can be: the old text was already searched, except its last few chars.
    const from = Math.max(0, this.#pending.length - (this.#end.length - 1));
    const buffer = this.#pending + text;
    const at = buffer.indexOf(this.#end, from);
    if (at < 0) {
      if (buffer.length > this.#maxBlockChars) {
        this.#oversized = true;
        this.#pending = buffer.slice(buffer.length - (this.#end.length - 1));
      } else {
        this.#pending = buffer;
      }
      return '';
    }
    this.#inside = false;
    this.#last =
      this.#oversized || at > this.#maxBlockChars
        ? {
            kind: 'error',
            message: `output block ${this.#ordinal} on stdout is larger than ${this.#maxBlockChars} characters`,
          }
        : { kind: 'block', text: buffer.slice(0, at), ordinal: this.#ordinal };
    this.#pending = '';
    return buffer.slice(at + this.#end.length);
  }
}
