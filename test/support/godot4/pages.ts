/**
 * The two pages the Godot 4.6 harness serves to Chromium.
 *
 * The host page compiles the engine's 38 MB wasm once; every run is an iframe of it that
 * instantiates that compiled module (same origin, so the frame can reach its parent),
 * which turns a run's start from a 1–2 s compile into a few hundred ms. Each iframe has
 * its own `Engine` (index.js keeps one engine per window), its own memory and canvas.
 * Prints and the exit code reach Node through functions Playwright exposes on every
 * frame (`gdnetGodot4Print`, `gdnetGodot4PrintError`, `gdnetGodot4Exit`).
 */

export const HOST_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>gdnet Godot 4.6 host</title></head>
<body style="margin:0">
<script>
  // One compile per browser page; the runs share it.
  window.gdnetGodot4Module = WebAssembly.compileStreaming(fetch("/index.wasm"));
  window.gdnetGodot4Start = function (id, query) {
    const frame = document.createElement("iframe");
    frame.id = "run-" + id;
    // Visible and small: browsers throttle frames they consider hidden.
    frame.style.cssText = "width:32px;height:32px;border:0;float:left";
    frame.src = "/run.html?" + query;
    document.body.appendChild(frame);
  };
  window.gdnetGodot4Stop = function (id) {
    document.getElementById("run-" + id)?.remove();
  };
</script>
</body></html>
`;

export const RUN_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>gdnet Godot 4.6 run</title></head>
<body style="margin:0">
<canvas id="canvas" width="32" height="32"></canvas>
<script>
  // The engine's loader downloads index.wasm before compiling it; the compiled module is
  // the parent's, so hand the loader an empty body instead of 38 MB per run.
  const pageFetch = window.fetch.bind(window);
  window.fetch = (resource, init) =>
    String(resource).endsWith("/index.wasm")
      ? Promise.resolve(new Response(new Uint8Array(0), { headers: { "content-type": "application/wasm" } }))
      : pageFetch(resource, init);
  // The engine asks for instantiateStreaming; answer with the parent's compiled module.
  WebAssembly.instantiateStreaming = async function (source, imports) {
    Promise.resolve(source).then((response) => response.body?.cancel()).catch(() => {});
    const module = await parent.gdnetGodot4Module;
    const instance = await WebAssembly.instantiate(module, imports);
    return { instance, module };
  };
</script>
<script src="/index.js"></script>
<script>
  (async () => {
    const query = new URLSearchParams(location.search);
    const id = Number(query.get("id"));
    const args = JSON.parse(query.get("args"));
    // A JavaScript exception that escapes the engine (a browser API refusing a call the
    // engine made) ends its main loop without a word from Godot: report it as an error line.
    window.addEventListener("error", (event) => window.gdnetGodot4PrintError(id, "uncaught: " + event.message));
    window.addEventListener("unhandledrejection", (event) =>
      window.gdnetGodot4PrintError(id, "uncaught: " + (event.reason && event.reason.message ? event.reason.message : String(event.reason))),
    );
    const report = (error) => {
      window.gdnetGodot4PrintError(id, "harness: " + (error && error.stack ? error.stack : String(error)));
      window.gdnetGodot4Exit(id, -1000);
    };
    try {
      const pck = new Uint8Array(await (await fetch("/pck/" + id)).arrayBuffer());
      const engine = new Engine({
        executable: "index",
        canvas: document.getElementById("canvas"),
        persistentPaths: [],
        unloadAfterInit: false,
        args: ["--headless", "--main-pack", "/main.pck", "--", ...args],
        onPrint: (...parts) => window.gdnetGodot4Print(id, parts.join(" ")),
        onPrintError: (...parts) => window.gdnetGodot4PrintError(id, parts.join(" ")),
        onExit: (code) => window.gdnetGodot4Exit(id, code),
      });
      await engine.init("/index");
      engine.copyToFS("/main.pck", pck);
      await engine.start();
    } catch (error) {
      report(error);
    }
  })();
</script>
</body></html>
`;
