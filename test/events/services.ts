import net from 'node:net';

/**
 * The message services the sink suites talk to. `.ci/run` starts them and exports the variables; without a variable
 * a suite tries the usual local address, and skips (with a line saying how to include it) when nothing answers.
 */
export interface Service {
  readonly name: string;
  readonly url: string | undefined;
  readonly skipReason: string;
}

async function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function service(name: string, variable: string, fallback: string): Promise<Service> {
  const given = process.env[variable] || undefined;
  const { hostname, port } = new URL(fallback);
  const url = given ?? ((await answers(hostname, Number(port))) ? fallback : undefined);
  return {
    name,
    url,
    skipReason: `${name} sink suite skipped: nothing answers at ${fallback}; start ${name} there or set ${variable} (.ci/run does)`,
  };
}

export const redisService = (): Promise<Service> =>
  service('Redis', 'BATON_TEST_REDIS_URL', 'redis://127.0.0.1:6379');
export const rabbitService = (): Promise<Service> =>
  service('RabbitMQ', 'BATON_TEST_RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672');
export const natsService = (): Promise<Service> =>
  service('NATS', 'BATON_TEST_NATS_URL', 'nats://127.0.0.1:4222');

/**
 * A TCP proxy in front of a service, so a test can take the service "down" (close: every connection cut, the port
 * refusing) and bring it back on the same port, without touching the service itself.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect({ host: this.targetHost, port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
