import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, Redis), so that a test can make the
 * dependency unreachable without stopping the shared server: `stop()` closes the listening socket and cuts
 * every open connection (as a crashed or stopped server would); `start()` listens again on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private listeningPort = 0;
  /** Connections accepted since creation (to check that the app really goes through the proxy). */
  accepted = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  /** Starts a proxy to targetHost:targetPort on a random free port of 127.0.0.1. */
  static async open(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await proxy.start();
    return proxy;
  }

  get port(): number {
    if (!this.listeningPort) throw new Error('the proxy has not been started');
    return this.listeningPort;
  }

  get running(): boolean {
    return !!this.server;
  }

  /** Open client connections (each has one upstream connection). */
  get connections(): number {
    return [...this.sockets].filter((s) => (s as Socket & { proxySide?: string }).proxySide === 'client')
      .length;
  }

  /** Listens (again): the first time on a random port, afterwards on the same port. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port: this.listeningPort, host: '127.0.0.1', exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (err) {
        // The old listening socket may linger for a moment; never give the port away silently.
        if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    this.listeningPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The dependency "goes down": no new connections (ECONNREFUSED) and every open one is cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private accept(client: Socket): void {
    this.accepted++;
    const upstream = createConnection({ port: this.targetPort, host: this.targetHost });
    (client as Socket & { proxySide?: string }).proxySide = 'client';
    (upstream as Socket & { proxySide?: string }).proxySide = 'upstream';
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
