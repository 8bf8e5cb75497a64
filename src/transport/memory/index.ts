export {
  type LinkConditions,
  MemoryConnectionHandle,
  MemoryHost,
  MemoryNetwork,
  type MemoryNetworkOptions,
} from "./network.js";
