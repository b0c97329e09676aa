// Golden syntax trees: every test-fixtures/parser/{ok,err}/NAME.wsp has NAME.tree beside it (the
// tree dump, then the diagnostics). Regenerate after an intended change with
//   UPDATE_GOLDEN=1 npm test -- parser
// and review the diff like code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../src/parser";
import { dumpTree, greenText } from "../src/syntax";

const root = join(__dirname, "../../test-fixtures/parser");
const update = process.env.UPDATE_GOLDEN === "1";

function render(text: string): string {
  const r = parse(text);
  const diags = r.diagnostics.map((d) => `[line ${d.line}, col ${d.column}] ${d.code} ${d.message} @${d.start}..${d.end}`);
  return dumpTree(r.root) + "# diagnostics\n" + diags.map((l) => l + "\n").join("");
}

for (const group of ["ok", "err"]) {
  for (const f of readdirSync(join(root, group)).filter((n) => n.endsWith(".wsp")).sort()) {
    test(`parser golden ${group}/${f}`, () => {
      const input = readFileSync(join(root, group, f), "utf8");
      const r = parse(input);
      assert.equal(greenText(r.root.green), input, "the tree is lossless");
      if (group === "ok") assert.deepEqual(r.diagnostics, [], "ok/ inputs parse without errors");
      else assert.ok(r.diagnostics.length > 0, "err/ inputs have diagnostics");
      const golden = join(root, group, f.replace(/\.wsp$/, ".tree"));
      const actual = render(input);
      if (update || !existsSync(golden)) {
        writeFileSync(golden, actual);
        if (!update) assert.fail(`wrote missing golden ${golden}; review it and run again`);
        return;
      }
      assert.equal(actual, readFileSync(golden, "utf8"));
    });
  }
}
