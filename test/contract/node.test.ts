import { defineTcpContract } from "./tcp.contract.js";
import { createNodeWorld } from "./world.js";

// The contract suites over real sockets on loopback.
defineTcpContract(createNodeWorld);
