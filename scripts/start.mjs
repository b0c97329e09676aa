#!/usr/bin/env node
// `npm start`: builds, then opens the extension on test-fixtures/examples — in desktop VS Code
// (`code --extensionDevelopmentPath`) when `code` is on PATH, else in code-server on 127.0.0.1.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildAll } from "./build.mjs";
import { ensureCodeServer, root, startCodeServer, workbenchUrl } from "./code-server.mjs";

const examples = join(root, "test-fixtures", "examples");
await buildAll();

if (spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0) {
  const r = spawnSync("code", [`--extensionDevelopmentPath=${root}`, examples], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const bin = ensureCodeServer();
const server = await startCodeServer({
  bin,
  // Kept between starts (and ignored by git), so settings and open editors survive.
  userDataDir: join(root, ".vscode-test", "user-data"),
  extensionsDir: join(root, ".vscode-test", "extensions"),
  port: Number(process.env.PORT ?? 0),
});
const url = workbenchUrl(server, { folder: examples, extensionPath: root });
console.log(`\nVS Code (code-server) with the Whispem extension, on loopback only:\n\n  ${url}\n\nOpen it in a browser; Ctrl+C stops the server.`);
// Pass the server's own messages through from now on.
server.process.stdout.pipe(process.stdout);
server.process.stderr.pipe(process.stderr);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.stop().then(() => process.exit(0)));
}
server.process.on("exit", (code) => process.exit(code ?? 0));
