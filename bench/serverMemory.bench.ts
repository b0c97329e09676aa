// Issue 16 item 3, "a lighter server": the real server over stdio (the packaged, minified bundle,
// started with the flags the extension gives it, server/src/node/flags.ts) on the 20 000-line
// generated file. Figures:
// resident memory (RSS, from /proc) and live heap (after a full collection) when the file is
// open and the server has settled (its first diagnostics, warm-up and compile pass done), then
// after EDITS seeded random edits — one-character inserts and deletes anywhere in the file,
// each pair typed and deleted at one place so the text ends as it began, sent a BATCH at a time
// with the diagnostics of each batch awaited — and the growth between the two. V8 gives memory
// back to the system only some seconds after the heap stops growing, so each figure is read
// both at once and after IDLE_MS. Targets: RSS after opening ≤ 90 MB, growth ≤ 10 %.
import { TestClient } from "../server/test/client";
import { positionAt } from "./server.bench";
import { benchFile, rssMb, shippedServerPath } from "./shared";
import { mulberry32 } from "../test-fixtures/tools/rng.cjs";

const EDITS = 10_000;
const BATCH = 10;
const SETTLE_MS = 2000;
const IDLE_MS = 10_000;
const CHARS = 'abxyz019 "(){}[],.+-*/=<>#\n';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round1 = (x: number) => Math.round(x * 10) / 10;

export default async function serverMemoryBench(): Promise<Record<string, unknown>> {
  const { text, lineStarts } = benchFile();

  // --expose-gc: the memory request collects first, so the heap figures count live objects.
  const client = await TestClient.start({ serverPath: shippedServerPath, nodeArgs: ["--expose-gc"], keepHistory: false });
  const pid = client.process.pid!;
  const memory = async () => {
    const m = await client.request<{ heapUsed: number; heapTotal: number }>("whispem/memoryUsage", {});
    return { rss: rssMb(pid), heap: m.heapUsed / 2 ** 20, heapTotal: m.heapTotal / 2 ** 20 };
  };
  try {
    const empty = await memory();
    const uri = "file:///bench/memory.wsp";
    await client.open(uri, text, 1);
    await sleep(SETTLE_MS);
    const open = await memory();
    await sleep(IDLE_MS);
    const openIdle = await memory();

    const random = mulberry32(16_3);
    let version = 1;
    const started = performance.now();
    for (let i = 0; i < EDITS / 2; i++) {
      const line = Math.floor(random() * (lineStarts.length - 1));
      const width = (lineStarts[line + 1] ?? text.length) - lineStarts[line];
      const at = positionAt(lineStarts, lineStarts[line] + Math.floor(random() * width));
      const ch = CHARS[Math.floor(random() * CHARS.length)];
      const next = { line: ch === "\n" ? at.line + 1 : at.line, character: ch === "\n" ? 0 : at.character + 1 };
      const last = (i + 1) % (BATCH / 2) === 0 || i === EDITS / 2 - 1;
      void client.change(uri, ++version, [{ range: { start: at, end: at }, text: ch }]);
      const published = client.change(uri, ++version, [{ range: { start: at, end: next }, text: "" }]);
      if (last) await published;
    }
    const editSeconds = (performance.now() - started) / 1000;
    await sleep(SETTLE_MS);
    const edited = await memory();
    await sleep(IDLE_MS);
    const editedIdle = await memory();
    return {
      server: "out/shipped/server.js (minified, as packaged)",
      lines: lineStarts.length,
      edits: EDITS,
      editSeconds: round1(editSeconds),
      targets: { rssAfterOpenMb: 90, growthPercent: 10 },
      rssEmptyServerMb: round1(empty.rss),
      rssAfterOpenMb: round1(open.rss),
      rssAfterOpenIdleMb: round1(openIdle.rss),
      heapAfterOpenMb: round1(open.heap),
      heapTotalAfterOpenIdleMb: round1(openIdle.heapTotal),
      rssAfterEditsMb: round1(edited.rss),
      rssAfterEditsIdleMb: round1(editedIdle.rss),
      heapAfterEditsMb: round1(edited.heap),
      rssGrowthPercent: round1(((edited.rss - open.rss) / open.rss) * 100),
      rssGrowthIdlePercent: round1(((editedIdle.rss - openIdle.rss) / openIdle.rss) * 100),
      heapGrowthPercent: round1(((edited.heap - open.heap) / open.heap) * 100),
    };
  } finally {
    await client.stop();
  }
}
