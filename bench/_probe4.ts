import { TestClient } from "../server/test/client";
import { benchFile, shippedServerPath } from "./shared";
import { percentile, positionAt } from "./server.bench";
const { text, lineStarts } = benchFile();
const EDITS = 40, ROUNDS = Number(process.env.ROUNDS ?? 8);
(async () => {
  const nodeArgs = (process.env.NODEARGS ?? "").split(" ").filter(Boolean);
  const hov: number[] = [], slow: string[] = [];
  const all: number[] = [], first: number[][] = [], opens: number[] = [];
  const statementStarts = [...text.matchAll(/^( *)(print|let) /gm)].map((m) => m.index! + m[1].length);
  const names = [...text.matchAll(/\b(fun\d+|[a-z]\d+)\b/g)].map((m) => m.index!);
  for (let r = 0; r < ROUNDS; r++) {
    const client = await TestClient.start({ serverPath: process.env.SERVER ?? shippedServerPath, nodeArgs, keepHistory: false, initializationOptions: process.env.NOWARM ? { warmUp: false } : undefined });
    const uri = "file:///bench/keystrokes.wsp";
    let t = performance.now();
    await client.open(uri, text, 1);
    opens.push(performance.now() - t);
    if (process.env.PAUSE) await new Promise((r) => setTimeout(r, Number(process.env.PAUSE)));
    let version = 1; const ks: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const at = positionAt(lineStarts, statementStarts[Math.floor(((i - (i % 2)) / EDITS) * statementStarts.length)]);
      const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      t = performance.now();
      await client.change(uri, ++version, [{ range, text: i % 2 === 0 ? " " : "" }]);
      ks.push(performance.now() - t);
      const position = positionAt(lineStarts, names[Math.floor((i / EDITS) * names.length)] + 1);
      const th = performance.now();
      await client.request("textDocument/hover", { textDocument: { uri }, position });
      const hd = performance.now() - th; hov.push(hd); if (hd > 2.5) slow.push(`${i}:${hd.toFixed(1)}`);
      await client.request("textDocument/definition", { textDocument: { uri }, position });
    }
    await client.stop();
    all.push(...ks); first.push(ks.slice(0, 6));
  }
  const f = (x: number) => x.toFixed(1);
  console.log(`p50 ${f(percentile(all, 0.5))} p95 ${f(percentile(all, 0.95))} max ${f(Math.max(...all))} open ${f(percentile(opens, 0.5))} over40 ${all.filter((x) => x > 40).length}/${all.length}`);
  console.log(`hover p50 ${f(percentile(hov, 0.5))} p95 ${f(percentile(hov, 0.95))} max ${f(Math.max(...hov))} slow ${slow.join(" ")}`);
  for (let k = 0; k < 6; k++) process.stdout.write(`e${k} ${f(percentile(first.map((x) => x[k]), 0.5))}  `);
  console.log();
})();
