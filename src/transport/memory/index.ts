export {
  type LinkConditions,
  MemoryConnectionHandle,
  type MemoryEndpoint,
  MemoryHost,
  MemoryNetwork,
  type MemoryNetworkOptions,
} from "./network.js";
