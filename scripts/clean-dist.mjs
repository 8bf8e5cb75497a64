// Empties dist/ before `npm pack` builds it again (prepack, then prepare), so a tarball
// never carries the output of a source file that no longer exists.
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
