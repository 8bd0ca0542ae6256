import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a webhook receiver got: the parsed event, its headers, and whether the signature checked out. */
export interface Hit {
  readonly event: Record<string, unknown>;
  readonly id: string;
  readonly signed: boolean;
}

/**
 * A real HTTP receiver for the webhook sink. It checks each request's signature the way docs/events.md tells users
 * to, answers `answer(event)` (200 by default) and keeps what it accepted (2xx) in `hits`.
 */
export class Receiver {
  readonly hits: Hit[] = [];
  answer: (event: Record<string, unknown>) => number = () => 200;
  private server: http.Server | undefined;
  port = 0;

  constructor(private readonly secret: string) {}

  async open(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const timestamp = String(req.headers['baton-timestamp']);
        const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`;
        const given = String(req.headers['baton-signature']);
        const signed =
          given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
        const event = JSON.parse(body) as Record<string, unknown>;
        const status = this.answer(event);
        if (status >= 200 && status < 300)
          this.hits.push({ event, id: String(req.headers['baton-event-id']), signed });
        res.writeHead(status).end(status >= 400 ? 'refused by the test receiver' : '');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A port nothing listens on (yet): taken from the OS, then freed. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
