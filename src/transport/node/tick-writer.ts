import type net from "node:net";

/*
 * The outgoing side of a Node socket, and its only writer: every byte gdnet sends on a
 * socket (TCP data, WebSocket data, ping, pong and close frames, handshakes) goes
 * through here, in the order it was produced. Writes made during a tick are held and
 * handed to the socket together when the tick ends (SPEC §1.5 allows batching the
 * writes of one tick): one buffer is written as it is; several are copied into one, so
 * a frame loop's burst of small messages costs one write call and one system call. A
 * single module-level `process.nextTick` hands over the writes of every connection that
 * wrote something in the tick.
 */

/** Frames up to this many bytes in total are joined into one buffer; larger batches are written one by one. */
const JOIN_LIMIT = 64 * 1024;
const NO_FRAME = Buffer.alloc(0);

/** Writers holding frames for the current tick. */
let scheduled: TickWriter[] = [];
let spare: TickWriter[] = [];

function flushScheduled(): void {
  const writers = scheduled;
  scheduled = spare;
  for (let i = 0; i < writers.length; i++) writers[i]!.endTick();
  writers.length = 0;
  spare = writers;
}

/**
 * Hands a connection's frames to its socket at the end of each tick. A base class of the
 * connection, so that it adds no object per connection.
 */
export abstract class TickWriter {
  /** The socket frames are written to, once open. */
  protected outputSocket: net.Socket | null = null;
  /** The first frame of the tick, then the others (`#list[0..#listLength)`). */
  #first: Buffer | null = null;
  #list: Buffer[] | null = null;
  #listLength = 0;
  #pendingBytes = 0;
  #scheduled = false;
  /** Bytes handed to the socket so far, and where each message ended while the socket had a backlog (a FIFO). */
  #written = 0;
  #messageEnds: number[] | null = null;
  #messageHead = 0;

  /** Whether frames may be written now (false drops them: the connection is not open). */
  protected abstract canWrite(): boolean;

  /** Bytes accepted and not yet handed to the kernel. */
  get bufferedAmount(): number {
    const socket = this.outputSocket;
    return this.#pendingBytes + (socket === null ? 0 : socket.writableLength);
  }

  /** Messages accepted whose bytes have not all been handed to the kernel. */
  get queuedMessages(): number {
    return (this.#first === null ? 0 : this.#listLength + 1) + this.#messagesInSocket();
  }

  /** Hands the frames held for this tick to the socket now. */
  flush(): void {
    const first = this.#first;
    if (first === null) return;
    const others = this.#listLength;
    const total = this.#pendingBytes;
    const list = this.#list;
    this.#first = null;
    this.#listLength = 0;
    this.#pendingBytes = 0;
    const socket = this.outputSocket;
    if (socket !== null && this.canWrite()) this.#write(socket, first, list, others, total);
    // Let the frames go.
    if (list !== null) list.fill(NO_FRAME, 0, others);
  }

  /** @internal Called once at the end of the tick in which this writer queued a frame. */
  endTick(): void {
    this.#scheduled = false;
    this.flush();
  }

  /** Holds `frame` until the end of the tick (the caller must not modify it afterwards). */
  protected queueFrame(frame: Buffer): void {
    if (this.outputSocket === null || !this.canWrite()) return;
    if (this.#first === null) {
      this.#first = frame;
      if (!this.#scheduled) {
        this.#scheduled = true;
        if (scheduled.length === 0) process.nextTick(flushScheduled);
        scheduled.push(this);
      }
    } else {
      this.#list ??= [];
      const list = this.#list;
      if (this.#listLength === list.length) list.push(frame);
      else list[this.#listLength] = frame;
      this.#listLength++;
    }
    this.#pendingBytes += frame.byteLength;
  }

  /** Hands `frame` to the socket now, after the frames held for this tick. */
  protected writeThrough(frame: Buffer): void {
    this.flush();
    const socket = this.outputSocket;
    if (socket !== null && this.canWrite()) this.#write(socket, frame, null, 0, frame.byteLength);
  }

  /** Drops the frames held for this tick. */
  protected discardFrames(): void {
    this.#first = null;
    this.#list = null;
    this.#listLength = 0;
    this.#pendingBytes = 0;
  }

  #write(socket: net.Socket, first: Buffer, list: Buffer[] | null, others: number, total: number): void {
    const writtenBefore = this.#written;
    if (others === 0) {
      socket.write(first);
    } else if (total <= JOIN_LIMIT) {
      const joined = Buffer.allocUnsafe(total);
      let offset = first.copy(joined, 0);
      for (let i = 0; i < others; i++) offset += list![i]!.copy(joined, offset);
      socket.write(joined);
    } else {
      socket.cork();
      socket.write(first);
      for (let i = 0; i < others; i++) socket.write(list![i]!);
      socket.uncork();
    }
    this.#written = writtenBefore + total;
    // Message boundaries matter only while the socket holds bytes back.
    if (socket.writableLength === 0) {
      this.#forgetMessages();
      return;
    }
    this.#messageEnds ??= [];
    const ends = this.#messageEnds;
    let end = writtenBefore + first.byteLength;
    ends.push(end);
    for (let i = 0; i < others; i++) {
      end += list![i]!.byteLength;
      ends.push(end);
    }
  }

  #messagesInSocket(): number {
    const ends = this.#messageEnds;
    if (ends === null) return 0;
    const backlog = this.outputSocket === null ? 0 : this.outputSocket.writableLength;
    if (backlog === 0) {
      this.#forgetMessages();
      return 0;
    }
    // Messages whose last byte is past what the socket has handed to the kernel.
    const handedOver = this.#written - backlog;
    let head = this.#messageHead;
    while (head < ends.length && ends[head]! <= handedOver) head++;
    if (head > 1024 && head * 2 > ends.length) {
      this.#messageEnds = ends.slice(head);
      head = 0;
    }
    this.#messageHead = head;
    return this.#messageEnds!.length - head;
  }

  #forgetMessages(): void {
    if (this.#messageEnds === null) return;
    this.#messageEnds = null;
    this.#messageHead = 0;
  }
}
