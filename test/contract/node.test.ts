import { defineHttpContract } from "./http.contract.js";
import { defineMultiplayerContract } from "./multiplayer.contract.js";
import { defineRpcContract } from "./rpc.contract.js";
import { defineTcpContract } from "./tcp.contract.js";
import { defineWebSocketContract } from "./websocket.contract.js";
import { createNodeWorld } from "./world.js";

// The contract suites over real sockets on loopback.
defineTcpContract(createNodeWorld);
defineWebSocketContract(createNodeWorld);
defineHttpContract(createNodeWorld);
defineMultiplayerContract(createNodeWorld);
defineRpcContract(createNodeWorld);
