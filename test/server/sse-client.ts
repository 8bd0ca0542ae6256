/** One server-sent event as a client reads it. */
export interface SseEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: Record<string, unknown>;
}

/**
 * Reads a `text/event-stream` response with Node's fetch: `next()` resolves with the next event (keep-alive comments
 * are counted, not returned), or undefined once the server ends the response.
 */
export class SseReader {
  comments = 0;
  private buffer = '';
  private readonly decoder = new TextDecoder();

  private constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  static async open(url: string, signal?: AbortSignal): Promise<{ response: Response; sse: SseReader }> {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream' },
      ...(signal ? { signal } : {}),
    });
    if (!response.body) throw new Error(`no body from ${url} (status ${response.status})`);
    return { response, sse: new SseReader(response.body.getReader()) };
  }

  async next(): Promise<SseEvent | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = this.parse(frame);
        if (event) return event;
        continue;
      }
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Every event until the response ends. */
  async rest(): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    for (let e = await this.next(); e !== undefined; e = await this.next()) out.push(e);
    return out;
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }

  private parse(frame: string): SseEvent | undefined {
    const fields: Record<string, string> = {};
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(':');
      fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
    }
    if (fields['data'] === undefined) return undefined;
    return {
      ...(fields['id'] === undefined ? {} : { id: fields['id'] }),
      ...(fields['event'] === undefined ? {} : { event: fields['event'] }),
      data: JSON.parse(fields['data']) as Record<string, unknown>,
    };
  }
}
