#!/usr/bin/env node
// Integration tests with @vscode/test-electron, for machines that can download VS Code: the same
// extension-host suite as run-code-server.mjs, in the trusted window only (test-electron always
// passes --disable-workspace-trust, so Restricted Mode is covered by the code-server launcher).
import { runTests } from "@vscode/test-electron";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAll } from "../../scripts/build.mjs";
import { root } from "../../scripts/code-server.mjs";
import { bundleSuite } from "./suiteBundle.mjs";

const suiteDir = join(root, ".test-output", "suite");
if (!existsSync(join(root, "out/extension.js"))) await buildAll();
await bundleSuite(root, suiteDir);
const scratch = mkdtempSync(join(tmpdir(), "whispem-electron-"));
const workspace = join(scratch, "workspace");
cpSync(join(root, "test-fixtures/examples"), workspace, { recursive: true });
const resultsFile = join(scratch, "results.json");
let status = 1;
try {
  await runTests({
    version: "1.100.3",
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteDir,
    launchArgs: [workspace, "--disable-extensions"],
    extensionTestsEnv: { WHISPEM_TEST_MODE: "trusted", WHISPEM_TEST_RESULTS: resultsFile },
  });
  status = 0;
} catch (e) {
  console.error(e?.message ?? e);
}
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, "utf8"));
  for (const f of r.failures) console.log(`FAILED ${f.title}\n${f.message}`);
  console.log(`${r.passed} passed, ${r.failed} failed`);
  if (r.failed > 0) status = 1;
}
rmSync(scratch, { recursive: true, force: true });
process.exit(status);
