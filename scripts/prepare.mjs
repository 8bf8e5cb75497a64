// npm's `prepare` hook: builds dist/ in a checkout of the repository. npm runs it on
// `npm install` and `npm pack` in a clone, and when gdnet is installed from its git
// repository (in a temporary clone, with the dev dependencies installed for it). An
// installed package has dist/ and no build configuration, so there it does nothing: that
// is the case when a project approves gdnet's install scripts (npm's `allowScripts`).
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const root = new URL("..", import.meta.url);
if (existsSync(new URL("tsconfig.build.json", root))) {
  execSync("npm run build", { stdio: "inherit", cwd: root });
}
