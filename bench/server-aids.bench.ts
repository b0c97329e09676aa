// The editing aids on the large generated program (gen-wsp.mjs --seed 1 --size 20000), over stdio
// like an editor: completion latency (target p95 ≤ 20 ms) at rest and right after a one-character
// edit (the analysis of the new version included), semantic tokens for the whole document (target
// ≤ 100 ms), and whole-document formatting, folding and inlay hints for scale. The *Compute*
// figures time the same functions in-process (no JSON-RPC, no server queue).
import { TestClient } from "../server/test/client";
import { benchFile, shippedServerPath } from "./shared";
import { cpuMs, percentile, positionAt } from "./server.bench";
import { OpenDocument } from "../server/src/documents";
import { completion } from "../server/src/completion";
import { encodeTokens } from "../server/src/semanticTokens";

const COMPLETIONS = 200;
const AFTER_EDIT = 60;
const REPEAT = 10;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

export default async function serverAidsBench(): Promise<Record<string, number>> {
  const { text, lineStarts } = benchFile();

  const client = await TestClient.start({ serverPath: shippedServerPath, keepHistory: false });
  const uri = "file:///bench/big-aids.wsp";
  await client.open(uri, text, 1);
  const td = { textDocument: { uri } };

  // Completion where a name is being typed: after `print ` and `return ` all over the file.
  const sites = [...text.matchAll(/\b(print|return) /g)].map((m) => m.index! + m[0].length);
  // A long-running server is warm: a few unmeasured requests first (JIT, first analysis).
  for (let i = 0; i < 20; i++) {
    await client.request("textDocument/completion", { ...td, position: positionAt(lineStarts, sites[(i * 7919) % sites.length]) });
  }
  await client.request("textDocument/semanticTokens/full", td);
  const atRest: number[] = [];
  let items = 0;
  for (let i = 0; i < COMPLETIONS; i++) {
    const position = positionAt(lineStarts, sites[Math.floor((i / COMPLETIONS) * sites.length)]);
    const [ms, r] = await timed(() => client.request<{ items: unknown[] }>("textDocument/completion", { ...td, position }));
    atRest.push(ms);
    items = Math.max(items, r.items.length);
  }

  // Typing: insert one letter, then ask for completion at once (the new version is analysed first).
  const afterEdit: number[] = [];
  let version = 1;
  const cpuBeforeEdits = cpuMs(client.process.pid!);
  for (let i = 0; i < AFTER_EDIT; i++) {
    const position = positionAt(lineStarts, sites[Math.floor(((i + 0.5) / AFTER_EDIT) * sites.length)]);
    version++;
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range: { start: position, end: position }, text: "x" }] });
    const [ms] = await timed(() => client.request("textDocument/completion", { ...td, position: { line: position.line, character: position.character + 1 } }));
    afterEdit.push(ms);
    version++;
    await client.change(uri, version, [{ range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: "" }]);
  }
  // Per typed letter: both edits' analyses and publications, and the completion.
  const afterEditServerCpu = (cpuMs(client.process.pid!) - cpuBeforeEdits) / AFTER_EDIT;

  const tokens: number[] = [];
  let tokenCount = 0;
  const cpuBeforeTokens = cpuMs(client.process.pid!);
  for (let i = 0; i < REPEAT; i++) {
    const [ms, r] = await timed(() => client.request<{ data: number[] }>("textDocument/semanticTokens/full", td));
    tokens.push(ms);
    tokenCount = r.data.length / 5;
  }
  // The server's CPU time per whole-document request (encoding and JSON), beside the wall time.
  const tokensServerCpu = (cpuMs(client.process.pid!) - cpuBeforeTokens) / REPEAT;
  // After an edit: the analysis of the new version is part of the answer.
  const tokensAfterEdit: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const p = positionAt(lineStarts, sites[i * 97]);
    version++;
    await client.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range: { start: p, end: p }, text: " " }] });
    const [ms] = await timed(() => client.request("textDocument/semanticTokens/full", td));
    tokensAfterEdit.push(ms);
    version++;
    await client.change(uri, version, [{ range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: "" }]);
  }

  const whole = { start: { line: 0, character: 0 }, end: { line: lineStarts.length, character: 0 } };
  const [formatMs] = await timed(() => client.request("textDocument/formatting", { ...td, options: { tabSize: 4, insertSpaces: true } }));
  const [foldingMs] = await timed(() => client.request("textDocument/foldingRange", td));
  const [hintsMs] = await timed(() => client.request("textDocument/inlayHint", { ...td, range: whole }));
  const [lensMs] = await timed(() => client.request("textDocument/codeLens", td));
  await client.stop();

  // The same work in this process, without JSON-RPC and the server's queue: what the code costs.
  const doc = new OpenDocument("file:///bench/in-process.wsp", 1, text);
  doc.analysis();
  const compute: number[] = [];
  for (let i = 0; i < COMPLETIONS; i++) {
    const position = positionAt(lineStarts, sites[Math.floor((i / COMPLETIONS) * sites.length)]);
    const t = performance.now();
    completion(doc, position);
    compute.push(performance.now() - t);
  }
  const encode: number[] = [];
  const encodeCpu: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    encodeTokens(doc);
    const used = process.cpuUsage(cpu);
    encode.push(performance.now() - t);
    encodeCpu.push((used.user + used.system) / 1000);
  }
  return {
    lines: lineStarts.length,
    completionItemsMax: items,
    completionP50Ms: percentile(atRest, 0.5),
    completionP95Ms: percentile(atRest, 0.95),
    completionAfterEditP50Ms: percentile(afterEdit, 0.5),
    completionAfterEditP95Ms: percentile(afterEdit, 0.95),
    completionAfterEditServerCpuMeanMs: Math.round(afterEditServerCpu * 10) / 10,
    semanticTokens: tokenCount,
    semanticTokensFullP50Ms: percentile(tokens, 0.5),
    semanticTokensFullMaxMs: percentile(tokens, 1),
    semanticTokensFullServerCpuMeanMs: Math.round(tokensServerCpu * 10) / 10,
    semanticTokensAfterEditP50Ms: percentile(tokensAfterEdit, 0.5),
    semanticTokensAfterEditMaxMs: percentile(tokensAfterEdit, 1),
    completionComputeP50Ms: percentile(compute, 0.5),
    completionComputeP95Ms: percentile(compute, 0.95),
    semanticTokensComputeP50Ms: percentile(encode, 0.5),
    // CPU time, not wall time: what the work costs when the machine is not shared.
    semanticTokensComputeCpuP50Ms: percentile(encodeCpu, 0.5),
    formatDocumentMs: Math.round(formatMs),
    foldingRangesMs: Math.round(foldingMs),
    inlayHintsWholeDocumentMs: Math.round(hintsMs),
    codeLensMs: Math.round(lensMs),
  };
}
