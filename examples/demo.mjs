// `npm run demo`: the examples of gdnet.
//   npm run demo              the TCP tutorial, running until Ctrl-C
//   npm run demo -- --once    the TCP tutorial exchange once, then exit 0
import { runTcpTutorial } from "./tcp-client/main.mjs";

const once = process.argv.includes("--once");
await runTcpTutorial({ once });
