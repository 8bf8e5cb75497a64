/*
 * Everything public, shared by the Node entry (index.ts) and the browser entry
 * (index.browser.ts). Each entry adds only its default transport.
 */

export { NetworkConditions, type NetworkConditionsInit } from "./conditions/NetworkConditions.js";
export type { Clock } from "./core/Clock.js";
export { RandomSource } from "./core/Random.js";
export {
  type DrainListener,
  type HeldWriter,
  type StagedEventTarget,
  StagingQueue,
  type StagingTap,
} from "./core/StagingQueue.js";
export * from "./ErrorCode.js";
export { HTTPClient } from "./HTTPClient.js";
export { HTTPRequest } from "./HTTPRequest.js";
export { MultiplayerPeer, type MultiplayerPeerApi } from "./MultiplayerPeer.js";
export type { RpcConfig } from "./multiplayer/rpc/rpc-declarations.js";
export type { RpcRefusal } from "./multiplayer/rpc/SceneRPCInterface.js";
export { PacketPeer } from "./PacketPeer.js";
export { PacketPeerStream } from "./PacketPeerStream.js";
export { Recorder, type RecorderOptions } from "./replay/Recorder.js";
export { Replay } from "./replay/Replay.js";
export { CallbackRecordingSink, MemoryRecordingSink, type RecordingSink } from "./replay/sinks.js";
export { SceneMultiplayer } from "./SceneMultiplayer.js";
export { Signal, type SignalListener } from "./Signal.js";
export { StreamPeer } from "./StreamPeer.js";
export { StreamPeerBuffer } from "./StreamPeerBuffer.js";
export type { DetachedStream } from "./StreamPeerTCP.js";
export { StreamPeerTCP } from "./StreamPeerTCP.js";
export { TCPServer } from "./TCPServer.js";
export { TLSOptions } from "./TLSOptions.js";
export type * from "./transport/http.js";
export {
  type MemoryHttpHandler,
  type MemoryHttpRequest,
  MemoryHttpResponse,
  MemoryHttpServer,
} from "./transport/memory/http-server.js";
export {
  type LinkConditions,
  MemoryConnectionHandle,
  type MemoryEndpoint,
  MemoryHost,
  MemoryNetwork,
  type MemoryNetworkOptions,
  type Pollable,
} from "./transport/memory/index.js";
export type { NetworkOptions, Transport } from "./transport/Transport.js";
export type * from "./transport/tcp.js";
export type * from "./transport/websocket.js";
export * from "./variant/index.js";
export { WebSocketClient } from "./WebSocketClient.js";
export { WebSocketMultiplayerPeer } from "./WebSocketMultiplayerPeer.js";
export { WebSocketPeer } from "./WebSocketPeer.js";
export {
  type WebSocketHandshakeHook,
  WebSocketServer,
  type WebSocketServerOptions,
} from "./WebSocketServer.js";
