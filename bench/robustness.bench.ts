// Issue 18's figures, over stdio like an editor: Convert to f-string on 8 000- and 100 000-term
// chains, completion in the middle of a 1 MB string literal, hover on a small document sent right
// after a code action on the 100 000-term chain (target ≤ 50 ms), hover on a small document while
// a pathological one is being opened (its parse, analysis and the requests an editor sends on
// opening it pending: sent right after them, and sent every 10 ms until they are done; target
// ≤ 50 ms), and a 10 MB generated document (gen-wsp): first diagnostics (target ≤ 5 s), server
// RSS (target ≤ 600 MB), requests answered.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { TestClient } from "../server/test/client";

const GEN = join(__dirname, "../test-fixtures/tools/gen-wsp.mjs");

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

export default async function robustnessBench(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const client = await TestClient.start({ nodeArgs: ["--expose-gc"], keepHistory: false });
  const none = { diagnostics: [] };
  for (const n of [8_000, 100_000]) {
    const uri = `file:///bench/chain-${n}.wsp`;
    await client.open(uri, 'let n = 1\nlet a = "s" + ' + Array(n).fill("n").join(" + ") + "\n");
    const at = { line: 1, character: 400 };
    const [ms] = await timed(() => client.request("textDocument/codeAction", { textDocument: { uri }, range: { start: at, end: at }, context: none }));
    out[`fstringCodeAction${n}Ms`] = ms;
  }
  const small = "file:///bench/small.wsp";
  await client.open(small, "let x = 1\nprint x\n");
  await client.request("textDocument/hover", { textDocument: { uri: small }, position: { line: 1, character: 6 } });
  // Hover on the small document queued right behind a code action on the 100 000-term chain.
  const at = { line: 1, character: 400 };
  const behind = client.request("textDocument/codeAction", { textDocument: { uri: "file:///bench/chain-100000.wsp" }, range: { start: at, end: at }, context: none });
  const [hoverMs] = await timed(() => client.request("textDocument/hover", { textDocument: { uri: small }, position: { line: 1, character: 6 } }));
  await behind;
  out.hoverBehindPathologicalMs = hoverMs;

  // A pathological document opened (not waited for) with what an editor asks on opening it,
  // then hovers on the small document: one sent right behind, then one every 10 ms until all of
  // the pathological document's requests are answered.
  const generated = (size: number) => {
    const r = spawnSync(process.execPath, [GEN, "--seed", "5", "--size", String(size)], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`gen-wsp failed: ${r.stderr}`);
    return r.stdout;
  };
  const pathological: [string, string][] = [
    ["Chain100000", 'let n = 1\nlet a = "s" + ' + Array(100_000).fill("n").join(" + ") + "\n"],
    ["Generated1MB", generated(30_000)],
  ];
  for (const [name, text] of pathological) {
    const uri = `file:///bench/open-${name}.wsp`;
    const td = { textDocument: { uri } };
    const opened = client.diagnostics(uri, 1);
    const start = performance.now();
    await client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "whispem", version: 1, text } });
    const onOpen = Promise.all(
      [
        ["textDocument/documentSymbol", td],
        ["textDocument/foldingRange", td],
        ["textDocument/semanticTokens/full", td],
        ["textDocument/codeLens", td],
        ["textDocument/documentLink", td],
        ["textDocument/inlayHint", { ...td, range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } } }],
      ].map(([method, params]) => client.request(method as string, params).catch(() => null)),
    );
    let done = false;
    const allDone = Promise.all([onOpen, opened]).then(() => {
      done = true;
      return performance.now() - start;
    });
    const hovers: number[] = [];
    const hoverAt = { textDocument: { uri: small }, position: { line: 1, character: 6 } };
    do {
      const [ms] = await timed(() => client.request("textDocument/hover", hoverAt));
      hovers.push(ms);
      await new Promise((r) => setTimeout(r, 10));
    } while (!done);
    out[`hoverWhileOpening${name}FirstMs`] = hovers[0];
    out[`hoverWhileOpening${name}MaxMs`] = Math.max(...hovers);
    out[`hoverWhileOpening${name}Count`] = hovers.length;
    out[`opening${name}AllAnsweredMs`] = await allDone;
  }

  const chars = 1_000_000;
  const str = "file:///bench/string.wsp";
  await client.open(str, 'print "' + "x".repeat(chars) + '"\n');
  const [completionMs] = await timed(() =>
    client.request("textDocument/completion", { textDocument: { uri: str }, position: { line: 0, character: 7 + chars / 2 }, context: { triggerKind: 2, triggerCharacter: '"' } }),
  );
  out.completionIn1MBStringMs = completionMs;
  await client.stop();

  const gen = spawnSync(process.execPath, [GEN, "--seed", "3", "--size", "300000"], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (gen.status !== 0) throw new Error(`gen-wsp failed: ${gen.stderr}`);
  const text = gen.stdout;
  const big = await TestClient.start({ nodeArgs: ["--expose-gc"], keepHistory: false });
  const uri = "file:///bench/huge.wsp";
  const [firstMs, first] = await timed(() => big.open(uri, text));
  out.hugeChars = text.length;
  out.hugeFirstDiagnosticsMs = firstMs;
  out.hugePublishedDiagnostics = first.diagnostics.length;
  const td = { textDocument: { uri } };
  const mid = { line: Math.floor(text.split("\n").length / 2), character: 4 };
  const requests: [string, object][] = [
    ["textDocument/documentSymbol", td],
    ["textDocument/hover", { ...td, position: mid }],
    ["textDocument/definition", { ...td, position: mid }],
    ["textDocument/references", { ...td, position: mid, context: { includeDeclaration: true } }],
    ["textDocument/foldingRange", td],
    ["textDocument/semanticTokens/full", td],
    ["textDocument/completion", { ...td, position: mid }],
    ["textDocument/codeAction", { ...td, range: { start: mid, end: mid }, context: none }],
    ["workspace/symbol", { query: "a" }],
  ];
  let answered = 0;
  const [allMs] = await timed(async () => {
    for (const [method, params] of requests) {
      try {
        await big.request(method, params);
        answered++;
      } catch {
        // counted as not answered
      }
    }
  });
  out.hugeRequests = requests.length;
  out.hugeRequestsAnswered = answered;
  out.hugeAllRequestsMs = allMs;
  const memory = await big.request<{ rss: number; maxRss: number }>("whispem/memoryUsage", null);
  out.hugeServerRssMB = Math.round(memory.rss / 1024 / 1024);
  out.hugeServerPeakRssMB = Math.round(memory.maxRss / 1024 / 1024);
  await big.stop();
  return out;
}
