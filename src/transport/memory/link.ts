import { connectionSeed, LinkDirection } from "../../conditions/LinkModel.js";
import type { LinkConditions, NetworkHost } from "./host.js";

/** What a link delivers to one of its ends. The owner of the end (a memory stream or socket) implements it. */
export interface LinkReceiver {
  /** A payload the other end sent (bytes for TCP; the memory WebSocket sends frame objects). */
  receive(payload: unknown): void;
  /** The other end closed in an orderly way (FIN), after everything it sent. */
  receiveEnd(): void;
  /** The connection was reset. */
  receiveReset(): void;
}

/** One end of a {@link MemoryLink}. */
export interface LinkEnd {
  readonly host: NetworkHost;
  readonly address: string;
  readonly port: number;
  /** Who receives for this end; `null` until the owner attaches. Deliveries wait meanwhile. */
  receiver: LinkReceiver | null;
  /** Deliveries that arrived before a receiver was attached, replayed on attach. */
  held: { kind: 0 | 1 | 2; payload: unknown }[];
  /** This end has been closed by its owner; it sends and receives nothing more. */
  closed: boolean;
  /** The other end sent FIN. */
  ended: boolean;
  /**
   * The receiver reports what it has consumed (`MemoryLink.consumed`), so deliveries to
   * this end are limited to {@link RECEIVE_WINDOW} bytes not yet consumed, as a TCP
   * receive window; `false` (HTTP ends) delivers without limit.
   */
  flowControlled: boolean;
  /** Bytes on their way to this end. */
  inFlight: number;
  /** Bytes delivered to this end and not yet consumed by its owner. */
  unconsumed: number;
  /** What this end sent that waits for the other end's window, in order (FIN included). */
  backlog: { kind: 0 | 1; payload: unknown; size: number }[];
  /** Bytes in `backlog`. */
  backlogBytes: number;
}

/**
 * The most bytes a flow-controlled end holds delivered-but-unconsumed (or in flight to
 * it); past it, the sender's data waits on the sender's side and counts in its
 * `bufferedAmount`, as with a real socket whose peer stops reading. About what loopback
 * socket buffers hold on Linux.
 */
export const RECEIVE_WINDOW = 4 * 1024 * 1024;

/** The per-connection state of a new end. */
function freshEnd(): Omit<LinkEnd, "host" | "address" | "port"> {
  return {
    receiver: null,
    held: [],
    closed: false,
    ended: false,
    flowControlled: false,
    inFlight: 0,
    unconsumed: 0,
    backlog: [],
    backlogBytes: 0,
  };
}

/** Something on its way across a link. */
interface Delivery {
  kind: 0 | 1;
  payload: unknown;
  size: number;
}

/** How often what waits behind a blackhole is tried again (TCP's minimum retransmission timeout). */
const RETRANSMISSION_MS = 200;

/** Delivery kinds on a link. */
const DATA = 0;
const END = 1;
const RESET = 2;

/**
 * A connection between two ends on a {@link MemoryNetwork}, like a TCP connection: it
 * keeps order in each direction, delays by the latency and bandwidth of the hosts'
 * link, stalls across a partition until it heals (as TCP retransmission would), and can
 * be reset or dropped silently for fault injection.
 */
export class MemoryLink {
  /** The connecting end. */
  readonly client: LinkEnd;
  /** The accepting end. */
  readonly server: LinkEnd;
  /** Dropped silently: nothing is delivered any more, in either direction, and nobody is told. */
  #dropped = false;
  /** Per direction: when each delivery is due (latency, jitter, bandwidth; nothing overtakes). */
  #toServer: LinkDirection | null = null;
  #toClient: LinkDirection | null = null;
  /** Per direction: deliveries that arrived while the link was a blackhole, in order. */
  #heldToServer: Delivery[] = [];
  #heldToClient: Delivery[] = [];

  constructor(
    readonly id: number,
    client: Pick<LinkEnd, "host" | "address" | "port">,
    server: Pick<LinkEnd, "host" | "address" | "port">,
  ) {
    this.client = { ...client, ...freshEnd() };
    this.server = { ...server, ...freshEnd() };
  }

  /** The other end. */
  peerOf(end: LinkEnd): LinkEnd {
    return end === this.client ? this.server : this.client;
  }

  /** Whether the link still carries anything. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /** Attaches the receiver of `end` and replays what arrived before. */
  attach(end: LinkEnd, receiver: LinkReceiver): void {
    end.receiver = receiver;
    const held = end.held;
    end.held = [];
    for (const item of held) this.#handOver(end, item.kind, item.payload);
  }

  /** Sends `payload` of `size` bytes from `from` to the other end. */
  send(from: LinkEnd, payload: unknown, size: number): void {
    if (from.closed || this.#dropped) return;
    if (from.backlog.length > 0 || !this.#fits(this.peerOf(from), size)) {
      from.backlog.push({ kind: DATA, payload, size });
      from.backlogBytes += size;
      return;
    }
    this.#transmit(from, DATA, payload, size);
  }

  /** Closes `from` in an orderly way: the other end sees FIN after everything sent before. */
  end(from: LinkEnd): void {
    if (from.closed) return;
    from.closed = true;
    from.receiver = null;
    from.held = [];
    // Nothing more is consumed here: what waits to be sent to this end may go.
    from.flowControlled = false;
    this.#release(this.peerOf(from));
    if (this.#dropped) return;
    if (from.backlog.length > 0) from.backlog.push({ kind: END, payload: undefined, size: 0 });
    else this.#transmit(from, END, undefined, 0);
  }

  /** The owner of `end` consumed `bytes` it was delivered: the window opens by as much. */
  consumed(end: LinkEnd, bytes: number): void {
    end.unconsumed = Math.max(0, end.unconsumed - bytes);
    this.#release(this.peerOf(end));
  }

  /** Sends what `from` holds back while the other end's window allows. */
  #release(from: LinkEnd): void {
    const to = this.peerOf(from);
    while (from.backlog.length > 0 && !this.#dropped) {
      const next = from.backlog[0]!;
      if (next.kind === DATA && !this.#fits(to, next.size)) return;
      from.backlog.shift();
      from.backlogBytes -= next.size;
      this.#transmit(from, next.kind, next.payload, next.size);
    }
  }

  /** Whether `size` more bytes may go to `to` now (one message always may when nothing waits). */
  #fits(to: LinkEnd, size: number): boolean {
    if (!to.flowControlled) return true;
    const taken = to.inFlight + to.unconsumed;
    return taken === 0 || taken + size <= RECEIVE_WINDOW;
  }

  /** Resets the connection: both ends that are still open see a reset at once. */
  reset(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    for (const end of [this.client, this.server]) {
      end.backlog = [];
      end.backlogBytes = 0;
      if (!end.closed) this.#handOver(end, RESET, undefined);
    }
  }

  /** Drops the connection silently: no FIN, no reset, nothing more delivered either way. */
  drop(): void {
    this.#dropped = true;
  }

  #transmit(from: LinkEnd, kind: 0 | 1, payload: unknown, size: number): void {
    const to = this.peerOf(from);
    const network = from.host.network;
    const conditions = network.linkConditions(from.host, to.host);
    const at = this.#direction(to, conditions).due(network.now(), size, {
      latency: conditions.latency,
      jitter: conditions.jitter ?? 0,
      bandwidth: conditions.bandwidth,
    });
    to.inFlight += size;
    network.deliver(from.host, to.host, at, () => this.#arrive(from, { kind, payload, size }));
  }

  /** The model of the direction toward `to`, seeded from the conditions' seed and this link's id. */
  #direction(to: LinkEnd, conditions: LinkConditions): LinkDirection {
    const towardServer = to === this.server;
    let direction = towardServer ? this.#toServer : this.#toClient;
    if (direction === null) {
      direction = new LinkDirection(connectionSeed(conditions.seed ?? 0, this.id, towardServer ? 0 : 1));
      if (towardServer) this.#toServer = direction;
      else this.#toClient = direction;
    }
    return direction;
  }

  /** A delivery reaches `from`'s peer, unless the link is a blackhole (then it waits, in order). */
  #arrive(from: LinkEnd, delivery: Delivery): void {
    const to = this.peerOf(from);
    if (this.#dropped) {
      to.inFlight -= delivery.size;
      return;
    }
    const held = to === this.server ? this.#heldToServer : this.#heldToClient;
    if (held.length > 0 || this.#silent(from)) {
      held.push(delivery);
      if (held.length === 1) this.#retransmitLater(from);
      return;
    }
    this.#land(to, delivery);
  }

  /** Whether the path from `from` to its peer is a blackhole now. */
  #silent(from: LinkEnd): boolean {
    return from.host.network.linkConditions(from.host, this.peerOf(from).host).blackhole === true;
  }

  /** What waits behind a blackhole is tried again at the next retransmission. */
  #retransmitLater(from: LinkEnd): void {
    const to = this.peerOf(from);
    const network = from.host.network;
    network.deliver(from.host, to.host, network.now() + RETRANSMISSION_MS, () => {
      const held = to === this.server ? this.#heldToServer : this.#heldToClient;
      if (held.length === 0) return;
      if (this.#dropped) {
        for (const delivery of held.splice(0)) to.inFlight -= delivery.size;
        return;
      }
      if (this.#silent(from)) {
        this.#retransmitLater(from);
        return;
      }
      for (const delivery of held.splice(0)) this.#land(to, delivery);
    });
  }

  #land(to: LinkEnd, delivery: Delivery): void {
    to.inFlight -= delivery.size;
    if (delivery.kind === DATA && !to.closed) to.unconsumed += delivery.size;
    this.#handOver(to, delivery.kind, delivery.payload);
  }

  #handOver(end: LinkEnd, kind: 0 | 1 | 2, payload: unknown): void {
    if (end.closed) return;
    const receiver = end.receiver;
    if (receiver === null) {
      end.held.push({ kind, payload });
      return;
    }
    if (kind === DATA) receiver.receive(payload);
    else if (kind === END) {
      end.ended = true;
      receiver.receiveEnd();
    } else receiver.receiveReset();
  }
}
