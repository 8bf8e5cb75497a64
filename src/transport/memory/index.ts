export {
  type LinkConditions,
  MemoryConnectionHandle,
  type MemoryEndpoint,
  MemoryHost,
  MemoryNetwork,
  type MemoryNetworkOptions,
  type Pollable,
} from "./network.js";
