import fs from "node:fs";
import type http from "node:http";
import zlib from "node:zlib";
import { HTTP_BODY, HTTP_DONE, type HttpFailure } from "../http.js";

/*
 * The body of a node:http response, read once the owner asked for it: raw bytes are
 * counted as they come off the wire, decoded with zlib when the response is gzip or
 * deflate and decoding was asked for, and either staged as HTTP_BODY events or written
 * to the download file. Writing to the file respects backpressure all the way to the
 * socket (file → decoder → response → TCP window), so a download of any size holds
 * only a few buffers.
 */

const OWNER = Symbol("gdnet.httpBody");
const EMPTY = new Uint8Array(0);

/** What the reader reports to. */
export interface BodyOwner {
  readonly request: { downloadFile: string; chunkSize: number };
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

  /** Decoded bytes: stage them, or write them to the file. Returns false to ask the source to wait. */
  accept(bytes: Uint8Array, raw: number): boolean {
    if (this.file === null) {
      this.owner.stage(HTTP_BODY, bytes, raw);
      return true;
    }
    this.owner.stage(HTTP_BODY, bytes.byteLength, raw);
    return this.file.write(bytes);
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
  if (reader === undefined || reader.isDone) return;
  if (reader.decoder === null) {
    if (!reader.accept(chunk, chunk.byteLength)) this.pause();
    return;
  }
  reader.owner.stage(HTTP_BODY, reader.file === null ? EMPTY : 0, chunk.byteLength);
  if (!reader.decoder.write(chunk)) this.pause();
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
  if (reader === undefined || reader.isDone) return;
  if (!reader.accept(chunk, 0)) this.pause();
}

function onDecoderEnd(this: Tagged<zlib.Gunzip>): void {
  const reader = this[OWNER];
  if (reader !== undefined && !reader.isDone) reader.end();
}

function onDecoderError(this: Tagged<zlib.Gunzip>, error: Error): void {
  this[OWNER]?.owner.fail("decompress", error.message);
}

function onDecoderDrain(this: Tagged<zlib.Gunzip>): void {
  this[OWNER]?.response.resume();
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
  const reader = this[OWNER];
  if (reader === undefined) return;
  if (reader.decoder !== null) reader.decoder.resume();
  else reader.response.resume();
}

function onFileClose(this: Tagged<fs.WriteStream>): void {
  const reader = this[OWNER];
  // 'close' follows 'finish' after a successful end(), and follows 'error' or destroy() otherwise.
  if (reader !== undefined && this.writableFinished) reader.complete();
}
