// `npm start -- [FOLDER] [--untrusted]` with PORT, and the settings of its code-server session.
import { test } from "node:test";
import assert from "node:assert/strict";
// An ES module (start.mjs runs it without a build): loaded with import() from this CommonJS test.
const load = () => import("../startOptions.mjs");

const base = { cwd: "/home/u/proj", defaultFolder: "/ext/test-fixtures/examples" };

test("no arguments: the examples, trusted, a free port", async () => {
  const { parseStartArgs } = await load();
  assert.deepEqual(parseStartArgs([], base), { folder: "/ext/test-fixtures/examples", untrusted: false, port: 0 });
});

test("a folder (relative to where npm ran) and --untrusted, in any order", async () => {
  const { parseStartArgs } = await load();
  assert.deepEqual(parseStartArgs(["--untrusted", "programs"], base), { folder: "/home/u/proj/programs", untrusted: true, port: 0 });
  assert.deepEqual(parseStartArgs(["/abs/dir"], base).folder, "/abs/dir");
});

test("PORT is used, and bad input is a clear error", async () => {
  const { parseStartArgs } = await load();
  assert.equal(parseStartArgs([], { ...base, env: { PORT: "8099" } }).port, 8099);
  assert.throws(() => parseStartArgs([], { ...base, env: { PORT: "http" } }), /PORT must be a port number/);
  assert.throws(() => parseStartArgs(["--trusted"], base), /unknown option --trusted; usage/);
  assert.throws(() => parseStartArgs(["a", "b"], base), /one folder only/);
});

test("the session turns off the walkthrough and the parent-folder Git prompt, keeping other settings", async () => {
  const { SESSION_SETTINGS, withSessionSettings } = await load();
  const merged = JSON.parse(withSessionSettings('{ "editor.fontSize": 15, "workbench.startupEditor": "welcomePage" }'));
  assert.equal(merged["editor.fontSize"], 15);
  assert.equal(merged["workbench.startupEditor"], "none");
  assert.equal(merged["git.openRepositoryInParentFolders"], "never");
  assert.deepEqual(JSON.parse(withSessionSettings("")), SESSION_SETTINGS);
  assert.deepEqual(JSON.parse(withSessionSettings("// a comment\n{")), SESSION_SETTINGS);
});
