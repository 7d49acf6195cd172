import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between the server and a real PostgreSQL or Redis, for fault tests: `cut()` is an
 * outage as a restart looks from the client (open connections reset, new ones refused), `stall()` is a hung
 * service (connections stay open, nothing comes back, as with a SIGSTOP'd process), `restore()` ends either.
 */
export class FaultProxy {
  private server?: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private stalled = false;
  private trap?: { pattern: Buffer; sprung: () => void };
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Starts a proxy to `url`'s host and port; `rewrite(url)` gives the same URL through the proxy. */
  static async start(url: string): Promise<FaultProxy> {
    const u = new URL(url);
    const proxy = new FaultProxy({ host: u.hostname, port: Number(u.port) });
    await proxy.listen(0);
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's (and no Unix socket, which would bypass the proxy). */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    u.searchParams.delete('host');
    u.searchParams.delete('path');
    return u.toString();
  }

  /** Resets every open connection and refuses new ones until `restore()`. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
    for (const p of this.pairs) {
      p.client.resetAndDestroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    await closed;
  }

  /** Keeps connections open but passes nothing in either direction (and accepts new ones that hang the same way). */
  stall(): void {
    this.stalled = true;
    for (const p of this.pairs) {
      p.client.unpipe(p.upstream);
      p.client.pause();
      p.upstream.pause();
    }
  }

  /**
   * Arms a one-shot trap: the next answer from the service that contains `pattern` is not delivered, and its
   * connection is reset instead (for PostgreSQL, `COMMIT\0` loses a commit's answer after it committed: an
   * outcome the client cannot know). Resolves when it has sprung.
   */
  loseNextAnswerWith(pattern: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      this.trap = { pattern: Buffer.from(pattern), sprung: resolve };
    });
  }

  /** Ends a cut or a stall: the same port accepts and forwards again. */
  async restore(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const p of this.pairs) {
        p.client.pipe(p.upstream);
        p.upstream.resume();
      }
    }
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket) {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    // answers are forwarded by hand, so a trap can stop one
    upstream.on('data', (chunk: Buffer) => {
      const trap = this.trap;
      if (trap && chunk.includes(trap.pattern)) {
        this.trap = undefined;
        client.resetAndDestroy();
        end();
        trap.sprung();
        return;
      }
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => {
      if (!this.stalled) upstream.resume();
    });
    if (this.stalled) {
      client.pause();
      upstream.pause();
      return;
    }
    client.pipe(upstream);
  }
}
