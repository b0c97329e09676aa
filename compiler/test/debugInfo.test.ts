// Debug information: names of parameters, locals and captured slots, lines, and the side file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../src/compiler";
import { debugInfo, liveLocals, parseDebugInfo } from "../src/debugInfo";
import { compileCommand } from "../src/cli-bytecode";

const RUN = join(__dirname, "../../test-fixtures/conformance/run");

function info(text: string) {
  const r = compile(text);
  assert.ok(r.chunks, JSON.stringify(r.diagnostics));
  return debugInfo(r.chunks);
}

test("parameters in declaration order, locals by first store, hidden loop names", () => {
  const d = info(
    ["fn f(a, b, c) {", "  let x = a + b", "  for item in [1, 2] {", "    let y = item", "  }", "  return x", "}", "print f(1, 2, 3)"].join("\n") + "\n",
  );
  const f = d.chunks.find((c) => c.name === "f")!;
  assert.equal(f.kind, "function");
  assert.deepEqual(f.params, ["a", "b", "c"]);
  assert.equal(f.firstLine, 1);
  assert.equal(f.lastLine, 6); // the closing RETURN_NONE carries the declaration line
  const byName = Object.fromEntries(f.locals.map((l) => [l.name, l]));
  assert.equal(byName.a.fromLine, 1);
  assert.equal(byName.x.fromLine, 2);
  assert.equal(byName.y.fromLine, 4);
  assert.equal(byName.__iter_0.hidden, true);
  assert.deepEqual(liveLocals(f, 2).map((l) => l.name).sort(), ["a", "b", "c", "x"]);
  assert.ok(!liveLocals(f, 2).some((l) => l.name === "y"));
  const main = d.chunks[0];
  assert.equal(main.kind, "main");
  assert.deepEqual(main.locals, []);
});

test("captured slots are named through nested lambdas", () => {
  const d = info(
    ["fn outer(a) {", "  let b = 2", "  return fn(x) {", "    return fn() {", "      return a + b + x", "    }", "  }", "}", "print outer(1)(3)()"].join("\n") + "\n",
  );
  const lambdas = d.chunks.filter((c) => c.kind === "lambda");
  assert.equal(lambdas.length, 2);
  const inner = lambdas.find((c) => c.parent !== "outer")!;
  const middle = lambdas.find((c) => c.parent === "outer")!;
  assert.equal(inner.parent, middle.name);
  assert.equal(middle.displayName, "lambda (line 3)");
  assert.deepEqual([...inner.captured].sort(), ["a", "b", "x"]);
  assert.ok(middle.captured.includes("a") && middle.captured.includes("b"));
});

test("every conformance program gets debug info whose chunks match the file", () => {
  for (const name of readdirSync(RUN).filter((n) => n.endsWith(".wsp"))) {
    const r = compile(readFileSync(join(RUN, name), "utf8"));
    if (!r.chunks) continue;
    const d = debugInfo(r.chunks);
    assert.deepEqual(
      d.chunks.map((c) => c.name),
      r.chunks.map((c) => c.name),
      name,
    );
    for (const [i, c] of d.chunks.entries()) assert.equal(c.params.length, i === 0 ? 0 : r.chunks[i].paramCount, `${name} ${c.name}`);
  }
});

test("compile --debug-info writes the side file and leaves the bytecode byte-identical", () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-dbg-"));
  try {
    const src = join(dir, "p.wsp");
    const text = readFileSync(join(RUN, "closures.wsp"), "utf8");
    writeFileSync(src, text);
    const io = { stdout() {}, stderr() {} };
    assert.equal(compileCommand([src, "-o", join(dir, "a.whbc")], io), 0);
    assert.equal(existsSync(join(dir, "a.whbc.dbg.json")), false);
    assert.equal(compileCommand([src, "-o", join(dir, "b.whbc"), "--debug-info"], io), 0);
    assert.deepEqual(readFileSync(join(dir, "a.whbc")), readFileSync(join(dir, "b.whbc")));
    const side = parseDebugInfo(readFileSync(join(dir, "b.whbc.dbg.json"), "utf8"));
    assert.ok(side);
    assert.deepEqual(side.chunks.map((c) => c.name), compile(text).chunks!.map((c) => c.name));
    assert.equal(parseDebugInfo("{not json"), null);
    assert.equal(parseDebugInfo('{"version":99,"chunks":[]}'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
