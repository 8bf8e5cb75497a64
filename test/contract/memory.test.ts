import { defineTcpContract } from "./tcp.contract.js";
import { createMemoryWorld } from "./world.js";

// The same contract suites over the in-memory network.
defineTcpContract(createMemoryWorld);
