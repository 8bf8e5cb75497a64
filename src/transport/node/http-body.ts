import fs from "node:fs";
import type http from "node:http";
import zlib from "node:zlib";
import { HTTP_DONE, type HttpFailure } from "../http.js";

/*
 * The body of a node:http response, read once the owner asked for it: raw bytes are
 * counted as they come off the wire, decoded with zlib when the response is gzip or
 * deflate and decoding was asked for, and either staged as HTTP_BODY events or written
 * to the download file.
 *
 * Nothing here grows between two polls of the owner. Three things stop the flow, each
 * pushing back to the socket (TCP then pushes back on the server): the staging budget
 * (the exchange has staged its share until the owner polls), the download file's write
 * buffer, and the decoder's input buffer. zlib's stream inflates one output chunk at a
 * time and stops when its output is not read, so pausing the decoder bounds a small
 * compressed input that would inflate into gigabytes to about one chunk; the body size
 * limit, checked on every decoded chunk, ends it for good.
 */

const OWNER = Symbol("gdnet.httpBody");
const EMPTY = new Uint8Array(0);

/** What the reader reports to: the exchange. */
export interface BodyOwner {
  readonly request: { downloadFile: string; chunkSize: number };
  /** Whether the staging budget holds reading until the owner's next poll. */
  readonly holding: boolean;
  /** Stages body progress; `false` when reading must stop (see StagedHttpExchange). */
  stageBody(decoded: Uint8Array | number, raw: number): boolean;
  stage(kind: number, a?: unknown, b?: unknown): void;
  fail(kind: HttpFailure, detail: string): void;
  finished(): void;
}

type Tagged<T> = T & { [OWNER]?: ResponseBodyReader };

/** Reads one response body; made by the exchange when the owner calls `receiveBody()`. */
export class ResponseBodyReader {
  readonly owner: BodyOwner;
  readonly response: http.IncomingMessage;
  readonly decoder: zlib.Gunzip | zlib.Inflate | null;
  readonly file: fs.WriteStream | null;
  #fileOpened = false;
  #done = false;
  /** The download file's write buffer is full, until its 'drain'. */
  #fileFull = false;
  /** The decoder's input buffer is full, until its 'drain'. */
  #decoderFull = false;

  constructor(owner: BodyOwner, response: http.IncomingMessage, contentEncoding: string) {
    this.owner = owner;
    this.response = response;
    const chunkSize = Math.max(owner.request.chunkSize, zlib.constants.Z_MIN_CHUNK);
    this.decoder =
      contentEncoding === "gzip" || contentEncoding === "x-gzip"
        ? zlib.createGunzip({ chunkSize })
        : contentEncoding === "deflate"
          ? zlib.createInflate({ chunkSize })
          : null;
    const path = owner.request.downloadFile;
    this.file = path === "" ? null : fs.createWriteStream(path, { flags: "w", highWaterMark: chunkSize });
    (response as Tagged<http.IncomingMessage>)[OWNER] = this;
    response.on("data", onResponseData);
    response.on("end", onResponseEnd);
    if (this.decoder !== null) {
      (this.decoder as Tagged<zlib.Gunzip>)[OWNER] = this;
      this.decoder.on("data", onDecoderData);
      this.decoder.on("end", onDecoderEnd);
      this.decoder.on("error", onDecoderError);
      this.decoder.on("drain", onDecoderDrain);
    }
    if (this.file !== null) {
      (this.file as Tagged<fs.WriteStream>)[OWNER] = this;
      this.file.on("open", onFileOpen);
      this.file.on("error", onFileError);
      this.file.on("drain", onFileDrain);
      this.file.on("close", onFileClose);
    }
  }

  /** Raw bytes off the wire: into the decoder, or straight on as decoded bytes. */
  read(chunk: Buffer): void {
    if (this.decoder === null) {
      if (!this.accept(chunk, chunk.byteLength)) this.updateFlow();
      return;
    }
    const goOn = this.owner.stageBody(this.file === null ? EMPTY : 0, chunk.byteLength);
    if (this.#done) return;
    if (!this.decoder.write(chunk)) this.#decoderFull = true;
    if (!goOn || this.#decoderFull) this.updateFlow();
  }

  /** Decoded bytes: stage them, or write them to the file. Returns false when reading must wait. */
  accept(bytes: Uint8Array, raw: number): boolean {
    if (this.file === null) return this.owner.stageBody(bytes, raw);
    const goOn = this.owner.stageBody(bytes.byteLength, raw);
    if (this.#done) return false;
    if (!this.file.write(bytes)) this.#fileFull = true;
    return goOn && !this.#fileFull;
  }

  /**
   * Reads while nothing holds it back: the staging budget and the file's buffer hold
   * the last stage (the decoder's output, or the response without one), the decoder's
   * input buffer holds the response.
   */
  updateFlow(): void {
    if (this.#done) return;
    const held = this.owner.holding || this.#fileFull;
    if (this.decoder !== null) {
      if (held) this.decoder.pause();
      else this.decoder.resume();
    }
    if (held || this.#decoderFull) this.response.pause();
    else this.response.resume();
  }

  /** Bytes waiting inside node:http and zlib: the response's and the decoder's buffers. */
  get bufferedBytes(): number {
    const decoder = this.decoder;
    const inDecoder = decoder === null ? 0 : decoder.readableLength + decoder.writableLength;
    return this.response.readableLength + inDecoder;
  }

  decoderDrained(): void {
    this.#decoderFull = false;
    this.updateFlow();
  }

  fileDrained(): void {
    this.#fileFull = false;
    this.updateFlow();
  }

  /** The decoded stream ended: close the file (DONE once it is closed) or report DONE. */
  end(): void {
    if (this.file !== null) {
      this.file.end();
      return;
    }
    this.complete();
  }

  complete(): void {
    if (this.#done) return;
    this.#done = true;
    this.owner.stage(HTTP_DONE);
    this.owner.finished();
  }

  markFileOpened(): void {
    this.#fileOpened = true;
  }

  get fileOpened(): boolean {
    return this.#fileOpened;
  }

  get isDone(): boolean {
    return this.#done;
  }

  destroy(): void {
    this.#done = true;
    this.decoder?.destroy();
    this.file?.destroy();
  }
}

function onResponseData(this: Tagged<http.IncomingMessage>, chunk: Buffer): void {
  const reader = this[OWNER];
  if (reader !== undefined && !reader.isDone) reader.read(chunk);
}

function onResponseEnd(this: Tagged<http.IncomingMessage>): void {
  const reader = this[OWNER];
  if (reader === undefined || reader.isDone) return;
  if (!this.complete) {
    reader.owner.fail("connection", "the connection closed before the end of the body");
    return;
  }
  if (reader.decoder !== null) reader.decoder.end();
  else reader.end();
}

function onDecoderData(this: Tagged<zlib.Gunzip>, chunk: Buffer): void {
  const reader = this[OWNER];
  if (reader !== undefined && !reader.isDone && !reader.accept(chunk, 0)) reader.updateFlow();
}

function onDecoderEnd(this: Tagged<zlib.Gunzip>): void {
  const reader = this[OWNER];
  if (reader !== undefined && !reader.isDone) reader.end();
}

function onDecoderError(this: Tagged<zlib.Gunzip>, error: Error): void {
  this[OWNER]?.owner.fail("decompress", error.message);
}

function onDecoderDrain(this: Tagged<zlib.Gunzip>): void {
  this[OWNER]?.decoderDrained();
}

function onFileOpen(this: Tagged<fs.WriteStream>): void {
  this[OWNER]?.markFileOpened();
}

function onFileError(this: Tagged<fs.WriteStream>, error: Error): void {
  const reader = this[OWNER];
  if (reader === undefined) return;
  reader.owner.fail(reader.fileOpened ? "file-write" : "file-open", error.message);
}

function onFileDrain(this: Tagged<fs.WriteStream>): void {
  this[OWNER]?.fileDrained();
}

function onFileClose(this: Tagged<fs.WriteStream>): void {
  const reader = this[OWNER];
  // 'close' follows 'finish' after a successful end(), and follows 'error' or destroy() otherwise.
  if (reader !== undefined && this.writableFinished) reader.complete();
}
