// A TCP proxy that holds every chunk for `delayMs` in each direction, order kept: a database "further away" than
// 127.0.0.1, to see what round trips cost when the server is on another host (bench/engine/hop-profile.ts).
import net from 'node:net';

export interface DelayProxy {
  /** `url` with its host and port replaced by the proxy's. */
  readonly via: (url: string) => string;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const pipe = (from: net.Socket, into: net.Socket): void => {
    // timers of one duration fire in the order they were set, so chunks stay in order
    from.on('data', (chunk) => setTimeout(() => into.destroyed || into.write(chunk), delayMs));
    from.on('end', () => setTimeout(() => into.end(), delayMs));
    from.on('error', () => into.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port || 5432), to.hostname);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
