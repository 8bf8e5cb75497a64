import { FrameDecoder, type FrameHandler } from "../../src/websocket/frames.js";
import { HeadReader } from "../../src/websocket/handshake.js";
import { FaultProxy } from "./proxy.js";

/**
 * A loopback proxy in front of a WebSocket server that decodes what each client sends:
 * every complete message, in order, per connection. Tests read the wire with it instead
 * of hooking into the server.
 */
export class WebSocketTap {
  /** The messages clients sent, in arrival order, with the proxy's connection number. */
  readonly messages: { connection: number; data: Uint8Array }[] = [];

  private constructor(readonly proxy: FaultProxy) {
    const readers = new Map<
      number,
      { head: HeadReader | null; decoder: FrameDecoder; handler: FrameHandler }
    >();
    proxy.onClientData = (connection, chunk) => {
      let reader = readers.get(connection);
      if (reader === undefined) {
        const handler: FrameHandler = {
          receivingPaused: false,
          onMessage: (data) => this.messages.push({ connection, data }),
          onPing() {},
          onPong() {},
          onClose() {},
          onFailure() {},
        };
        reader = { head: new HeadReader(), decoder: new FrameDecoder(true, 0), handler };
        readers.set(connection, reader);
      }
      let bytes: Uint8Array = chunk;
      if (reader.head !== null) {
        const result = reader.head.push(bytes);
        if (result === null || result === "too-big") return;
        reader.head = null;
        bytes = result.rest;
      }
      // The decoder unmasks in place, and the proxy forwards these very bytes: decode a copy.
      reader.decoder.push(Uint8Array.from(bytes), reader.handler);
    };
  }

  /** Starts a tap in front of the server on `targetPort`. */
  static async start(targetPort: number): Promise<WebSocketTap> {
    return new WebSocketTap(await FaultProxy.start(targetPort));
  }

  /** The port clients connect to. */
  get port(): number {
    return this.proxy.port;
  }

  /** Stops the proxy. */
  close(): void {
    this.proxy.server.close();
  }
}
