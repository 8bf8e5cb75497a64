import net from "node:net";

/**
 * A TCP proxy on loopback that forwards to `targetPort`, so a test can break real
 * connections the way a network does: reset them (RST both ways), drop them silently
 * (stop forwarding, send nothing), or refuse new ones.
 */
export class FaultProxy {
  readonly server: net.Server;
  #pairs = new Set<[net.Socket, net.Socket]>();
  #refusing = false;
  #silent = false;

  private constructor(readonly targetPort: number) {
    this.server = net.createServer((client) => this.#accept(client));
  }

  /** Starts a proxy on a free loopback port. */
  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort);
    proxy.#targetHost = targetHost;
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  #targetHost = "127.0.0.1";
  /** Called with every chunk a client sends, before it is forwarded (a wire tap). */
  onClientData: ((connection: number, chunk: Buffer) => void) | null = null;
  #connections = 0;

  /** The port clients connect to. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The number of connections currently forwarded. */
  get connectionCount(): number {
    return this.#pairs.size;
  }

  /** Resets every forwarded connection: both sides get an RST. */
  resetAll(): void {
    for (const [a, b] of this.#pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.#pairs.clear();
  }

  /** Stops forwarding anything, in either direction, without telling either side. */
  dropAllSilently(): void {
    this.#silent = true;
    for (const [a, b] of this.#pairs) {
      a.unpipe(b);
      b.unpipe(a);
      a.pause();
      b.pause();
    }
  }

  /**
   * Stops listening, so new connections are refused by the system (ECONNREFUSED) while
   * the ones already forwarded go on.
   */
  stopListening(): void {
    if (this.server.listening) this.server.close();
  }

  /** New connections are reset at once (existing ones are unaffected). */
  refuse(refusing = true): void {
    this.#refusing = refusing;
  }

  /** Closes the proxy and every connection through it. */
  async close(): Promise<void> {
    for (const [a, b] of this.#pairs) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    if (this.#refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.#targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.#pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const forget = () => this.#pairs.delete(pair);
    // Reset travels through: an RST on one side resets the other.
    client.on("error", () => {
      forget();
      if (!upstream.destroyed) upstream.resetAndDestroy();
    });
    upstream.on("error", () => {
      forget();
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on("close", forget);
    upstream.on("close", forget);
    const connection = this.#connections++;
    client.on("data", (chunk: Buffer) => this.onClientData?.(connection, chunk));
    if (!this.#silent) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
  }
}
