#!/usr/bin/env node
// `npm start -- [FOLDER] [--untrusted]`: builds, then opens the extension on FOLDER (default:
// test-fixtures/examples) — in desktop VS Code (`code --extensionDevelopmentPath`) when `code` is
// on PATH, else in code-server on 127.0.0.1:$PORT (default: a free port), printing its URL.
// `--untrusted` opens the folder in Restricted Mode (code-server only).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildAll } from "./build.mjs";
import { ensureCodeServer, root, startCodeServer, workbenchUrl } from "./code-server.mjs";
import { parseStartArgs, withSessionSettings } from "./startOptions.mjs";

let options;
try {
  options = parseStartArgs(process.argv.slice(2), { cwd: process.env.INIT_CWD ?? process.cwd(), defaultFolder: join(root, "test-fixtures", "examples"), env: process.env });
  if (!existsSync(options.folder) || !statSync(options.folder).isDirectory()) throw new Error(`${options.folder} is not a folder`);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
await buildAll();

if (!options.untrusted && spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0) {
  const r = spawnSync("code", [`--extensionDevelopmentPath=${root}`, options.folder], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const bin = ensureCodeServer();
// Kept between starts (and ignored by git), so settings and open editors survive.
const userDataDir = join(root, ".vscode-test", "user-data");
const settingsFile = join(userDataDir, "User", "settings.json");
mkdirSync(join(userDataDir, "User"), { recursive: true });
writeFileSync(settingsFile, withSessionSettings(existsSync(settingsFile) ? readFileSync(settingsFile, "utf8") : ""));
const server = await startCodeServer({
  bin,
  userDataDir,
  extensionsDir: join(root, ".vscode-test", "extensions"),
  port: options.port,
  trust: !options.untrusted,
});
const url = workbenchUrl(server, { folder: options.folder, extensionPath: root });
const mode = options.untrusted ? " in Restricted Mode (untrusted)" : "";
console.log(`\nVS Code (code-server) with the Whispem extension, on loopback port ${server.port}${mode}:\n\n  ${url}\n\nOpen it in a browser (PORT=N npm start picks the port); Ctrl+C stops the server.`);
// Pass the server's own messages through from now on.
server.process.stdout.pipe(process.stdout);
server.process.stderr.pipe(process.stderr);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.stop().then(() => process.exit(0)));
}
server.process.on("exit", (code) => process.exit(code ?? 0));
