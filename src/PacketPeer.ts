import { ErrorCode } from "./ErrorCode.js";
import { decodeVariant, encodeVariant } from "./variant/index.js";

const MIN_ENCODE_BUFFER = 1024;
const MAX_ENCODE_BUFFER = 256 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * The packet-oriented base class: whole packets in, whole packets out.
 *
 * Ports Godot's `PacketPeer`. Subclasses (`WebSocketPeer`, `PacketPeerStream`, the
 * multiplayer peers) supply the transport; this class adds the Variant helpers and the
 * error bookkeeping Godot has here.
 */
export abstract class PacketPeer {
  #encodeBufferMaxSize = 8 * 1024 * 1024;
  #packetError: ErrorCode = ErrorCode.OK;

  /**
   * Which Godot's binary Variant format `putVar`/`getVar` speak: 4 (Godot 4, the
   * default) or 3 (Godot 3.x). gdnet addition: Godot speaks only its own version.
   */
  variantFormat: 3 | 4 = 4;

  /**
   * The largest encoded Variant `putVar` sends, in bytes. Default 8388608 (8 MiB).
   * Values below 1024 or above 256 MiB are rejected (the value is unchanged); others are
   * rounded up to the next power of two, as Godot does.
   * Ports `PacketPeer.encode_buffer_max_size`.
   */
  get encodeBufferMaxSize(): number {
    return this.#encodeBufferMaxSize;
  }

  /** Sets the limit (see the getter for the rules). */
  set encodeBufferMaxSize(size: number) {
    if (!Number.isFinite(size) || size < MIN_ENCODE_BUFFER || size > MAX_ENCODE_BUFFER) return;
    let rounded = MIN_ENCODE_BUFFER;
    while (rounded < size) rounded *= 2;
    this.#encodeBufferMaxSize = rounded;
  }

  /** The number of packets ready to read. Ports `PacketPeer.get_available_packet_count`. */
  abstract getAvailablePacketCount(): number;

  /**
   * Takes the next packet; an empty array when there is none or on error (see
   * {@link PacketPeer.getPacketError}). Ports `PacketPeer.get_packet`.
   */
  getPacket(): Uint8Array {
    const [error, packet] = this.readPacket();
    this.#packetError = error;
    return error === ErrorCode.OK ? packet : EMPTY;
  }

  /** The error of the last {@link PacketPeer.getPacket}. Ports `PacketPeer.get_packet_error`. */
  getPacketError(): ErrorCode {
    return this.#packetError;
  }

  /**
   * Sends one packet. An empty buffer returns OK and sends nothing, as in Godot.
   * Ports `PacketPeer.put_packet`.
   */
  putPacket(buffer: Uint8Array): ErrorCode {
    if (!(buffer instanceof Uint8Array)) throw new TypeError("putPacket expects a Uint8Array");
    if (buffer.byteLength === 0) return ErrorCode.OK;
    return this.writePacket(buffer);
  }

  /**
   * Reads one packet and decodes it as a Variant (see `bytesToVar`). Returns `null` when
   * there is no packet or it does not decode. Full objects are refused unless
   * `allowObjects`. Ports `PacketPeer.get_var`.
   */
  getVar(allowObjects = false): unknown {
    const [error, packet] = this.readPacket();
    this.#packetError = error;
    if (error !== ErrorCode.OK) return null;
    const [decodeError, value] = decodeVariant(packet, { allowObjects, format: this.variantFormat });
    return decodeError === ErrorCode.OK ? value : null;
  }

  /**
   * Encodes `value` as a Variant and sends it as one packet, with no length prefix.
   * `ERR_OUT_OF_MEMORY` if the encoding is larger than
   * {@link PacketPeer.encodeBufferMaxSize}. Ports `PacketPeer.put_var`.
   */
  putVar(value: unknown, fullObjects = false): ErrorCode {
    const [error, bytes] = encodeVariant(value, { fullObjects, format: this.variantFormat });
    if (error !== ErrorCode.OK) return error;
    if (bytes.byteLength > this.#encodeBufferMaxSize) return ErrorCode.ERR_OUT_OF_MEMORY;
    return this.writePacket(bytes);
  }

  /**
   * Takes the next packet, or an error (`ERR_UNAVAILABLE` when there is none).
   * @internal Implemented by each packet peer.
   */
  protected abstract readPacket(): [ErrorCode, Uint8Array];

  /**
   * Sends one non-empty packet.
   * @internal Implemented by each packet peer.
   */
  protected abstract writePacket(buffer: Uint8Array): ErrorCode;
}
