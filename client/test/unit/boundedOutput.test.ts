// Issue 18: run output is kept bounded (the last 1 MB, with a line saying how much was dropped),
// a real `wvm` flood is streamed, stopped and leaves bounded memory, and run folders a dead
// extension host left behind are removed. Sizes scale up under WHISPEM_SOAK=1 (`npm run soak`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Program } from "../../src/runner";
import { OUTPUT_LIMIT, TailBuffer } from "../../src/tailBuffer";
import { removeStaleRunFolders, runFolderPrefix } from "../../src/runTempFolders";
import { compile } from "../../../compiler/src/compiler";

const SOAK = process.env.WHISPEM_SOAK === "1";
const FLOOD_BYTES = SOAK ? 600 * 1024 * 1024 : 16 * 1024 * 1024;
const root = join(__dirname, "..", "..", "..");
const wvm = join(root, "bin", "wvm");

test("TailBuffer keeps exactly the last `limit` characters and counts the rest", () => {
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const limit of [1, 7, 100, 4096]) {
    const buffer = new TailBuffer(limit);
    let all = "";
    for (let i = 0; i < 500; i++) {
      const piece = String.fromCharCode(97 + (i % 26)).repeat(rand(limit * 2 + 3));
      buffer.append(piece);
      all += piece;
      assert.equal(buffer.tail(), all.slice(Math.max(0, all.length - limit)));
      assert.equal(buffer.dropped, Math.max(0, all.length - limit));
      assert.ok(buffer.length <= limit);
    }
    assert.match(buffer.text(), /^\[… [\d,]+ characters of output dropped; the last 1 MB are kept …\]\n/);
  }
  const small = new TailBuffer(10);
  small.append("hello");
  assert.equal(small.text(), "hello");
});

test(`a real wvm flood (${FLOOD_BYTES / 1024 / 1024} MB of print in a while true loop) streams, stops, and stays bounded`, { skip: !existsSync(wvm) && "bin/wvm is not built" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-flood-"));
  try {
    const bytecode = join(dir, "flood.whbc");
    writeFileSync(bytecode, compile(`while true {\n    print "${"x".repeat(200)}"\n}\n`).bytes!);
    const kept = new TailBuffer();
    let streamed = 0;
    let program: Program | undefined = undefined;
    let stopAsked = false;
    const before = process.memoryUsage().rss;
    let peak = before;
    const take = (t: string) => {
      kept.append(t);
      streamed += t.length;
      if (streamed % (8 * 1024 * 1024) < t.length) peak = Math.max(peak, process.memoryUsage().rss);
      if (streamed >= FLOOD_BYTES && !stopAsked) {
        stopAsked = true;
        program!.stop();
      }
    };
    program = new Program({ vm: wvm, bytecode, cwd: dir, interactive: false }, { stdout: take, stderr: take });
    const exit = await program.exited;
    assert.equal(exit.stopped, true);
    assert.ok(streamed >= FLOOD_BYTES);
    assert.ok(kept.length <= OUTPUT_LIMIT);
    assert.equal(kept.dropped + kept.length, streamed);
    assert.match(kept.tail(), /^[x\n]+$/);
    assert.match(kept.tail(), /\nx{200}\n/);
    // Memory: what the stream leaves is the kept megabyte, not the flood. Kept whole, the flood
    // alone would add at least its own size; the bound is half of it, the rest is room for the
    // garbage collector's lag (263 MB was seen at the peak for 600 MB with two test files running).
    // At npm test's 16 MB the collector's lag is of the flood's size: the figure is only logged.
    const grew = peak - before;
    console.log(JSON.stringify({ floodMB: streamed / 1024 / 1024, rssGrowthMB: Math.round(grew / 1024 / 1024) }));
    if (SOAK) assert.ok(grew < FLOOD_BYTES / 2, `RSS grew by ${grew} bytes for a ${FLOOD_BYTES}-byte flood`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("run folders of dead hosts are removed at activation; a live host's and new ones stay", () => {
  const dir = mkdtempSync(join(tmpdir(), "whispem-tmp-"));
  try {
    // A process that has ended: its pid is free (reuse within this test is very unlikely).
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    const mk = (name: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "a.whbc"), "x");
    };
    mk(`whispem-run-${deadPid}-abc`);
    mk(`whispem-run-${process.pid}-def`);
    mk(`whispem-run-${process.ppid}-ghi`);
    mk("whispem-run-OLD123");
    const past = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, "whispem-run-OLD123"), past, past);
    mk("whispem-run-NEW456");
    mk("unrelated");
    const removed = removeStaleRunFolders(dir, Date.now() - 60_000);
    assert.deepEqual(removed.map((p) => p.slice(dir.length + 1)).sort(), [`whispem-run-${deadPid}-abc`, "whispem-run-OLD123"].sort());
    assert.deepEqual(readdirSync(dir).sort(), [`whispem-run-${process.pid}-def`, `whispem-run-${process.ppid}-ghi`, "whispem-run-NEW456", "unrelated"].sort());
    assert.ok(runFolderPrefix(dir).endsWith(`whispem-run-${process.pid}-`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
