// Robustness: thousands of random edits (inserts, deletions, replacements, undos, several changes
// per notification) on generated programs. The server must never crash or stop answering, and
// after every edit its published diagnostics must equal those of a fresh analysis of the same
// text: in-process (the server's own code, fully re-parsed) after each edit, and a freshly
// started server process at the end of each editing session.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Diagnostic, Hover, Position, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol/node";
import { TestClient, root } from "./client";
import { OpenDocument } from "../src/documents";
import { publishedDiagnostics } from "../src/diagnosticsPublisher";
import { readSettings } from "../src/settings";

const SESSIONS = 20;
const EDITS_PER_SESSION = 260;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return ((t ^ (t >>> 15)) >>> 0) / 4294967296;
  };
}

const snippets = [
  "{", "}", "(", ")", "[", "]", '"', 'f"{', '}"', "\n", " ", "let ", "fn ", "fn(x) { return x }", "x", "count", "if ",
  "else ", "for i in ", "while ", "return", "break", "continue", "# note", "1", "2.5", ",", "=", "==", "<", "push(a, 1)",
  "é", "😀", "\\", "print ", "\t", "\r\n", "a[0] = 1", "f\"{a b}\"", "let a = []\n", "fn g(p) {\n  return p\n}\n",
];

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * An offset the editor can express: never between the "\r" and "\n" of a line break, since LSP
 * counts "\r\n" as one line ending (the server clamps such positions to the line's end).
 */
function expressible(text: string, offset: number): number {
  return offset > 0 && text[offset - 1] === "\r" && text[offset] === "\n" ? offset - 1 : offset;
}

function apply(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

function generatedPrograms(dir: string): string[] {
  const out: string[] = [];
  for (const [mode, seed] of [["ok", 501], ["fail", 502], ["syntax", 503]] as const) {
    const target = join(dir, mode);
    const r = spawnSync(process.execPath, [join(root, "test-fixtures/tools/gen-wsp.mjs"), "--seed", String(seed), "--count", "7", "--mode", mode, "--out", target]);
    assert.equal(r.status, 0, String(r.stderr));
    for (const f of readdirSync(target).filter((x) => x.endsWith(".wsp")).sort()) out.push(readFileSync(join(target, f), "utf8"));
  }
  return out;
}

const settings = { diagnostics: { debounceMs: 0 } };

/** What the server publishes first for a version (the compiler's rare limit errors may follow). */
function freshDiagnostics(uri: string, version: number, text: string): Diagnostic[] {
  return publishedDiagnostics(new OpenDocument(uri, version, text), readSettings(settings));
}

test(`the server survives ${SESSIONS * EDITS_PER_SESSION} random edits and always agrees with a fresh analysis`, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "whispem-robust-"));
  const programs = generatedPrograms(tmp);
  rmSync(tmp, { recursive: true, force: true });
  const random = rng(20240611);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const client = await TestClient.start({ settings });
  let edits = 0;
  try {
    for (let session = 0; session < SESSIONS; session++) {
      const uri = `file:///robustness/session${session}.wsp`;
      let text = programs[session % programs.length];
      let version = 1;
      await client.open(uri, text, version);
      const undo: Edit[] = [];
      for (let i = 0; i < EDITS_PER_SESSION; i++) {
        const batch: Edit[] = [];
        const count = random() < 0.1 ? 2 : 1;
        let working = text;
        for (let k = 0; k < count; k++) {
          const r = random();
          let e: Edit;
          const at = expressible(working, Math.floor(random() * (working.length + 1)));
          if (r < 0.15 && undo.length) e = undo.pop()!;
          else if (r < 0.5) e = { start: at, end: at, text: pick(snippets) };
          else if (r < 0.8) e = { start: at, end: expressible(working, Math.min(working.length, at + 1 + Math.floor(random() * 20))), text: "" };
          else e = { start: at, end: expressible(working, Math.min(working.length, at + 1 + Math.floor(random() * 8))), text: pick(snippets) };
          if (e.end < e.start) e.end = e.start;
          if (e.start > working.length || e.end > working.length) continue;
          undo.push({ start: e.start, end: e.start + e.text.length, text: working.slice(e.start, e.end) });
          batch.push(e);
          working = apply(working, e);
        }
        // LSP ranges refer to the text as it is when each change applies.
        const changes: TextDocumentContentChangeEvent[] = [];
        let before = text;
        for (const e of batch) {
          changes.push({ range: { start: positionAt(before, e.start), end: positionAt(before, e.end) }, text: e.text });
          before = apply(before, e);
        }
        text = working;
        version++;
        edits++;
        const published = await client.change(uri, version, changes);
        assert.equal(published.version, version);
        assert.deepEqual(published.diagnostics, freshDiagnostics(uri, version, text), `session ${session}, edit ${i}: diagnostics differ from a fresh analysis`);
        if (i % 40 === 0) {
          // Still answering requests, wherever the cursor lands.
          const h = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positionAt(text, Math.floor(random() * (text.length + 1))) });
          assert.ok(h === null || typeof h === "object");
        }
      }
      // A freshly started server, opened on the final text, publishes the same diagnostics.
      const fresh = await TestClient.start({ settings });
      const freshPublished = await fresh.open(uri, text, version);
      assert.deepEqual(freshPublished.diagnostics, client.first(uri, version)!.diagnostics, `session ${session}: a fresh server disagrees`);
      assert.equal(await fresh.stop(), 0);
      await client.close(uri);
    }
    assert.ok(client.alive, "the server is still running");
    assert.deepEqual(client.logs.filter((l) => / failed: /.test(l)), [], "no request or notification failed");
  } finally {
    await client.stop();
  }
  assert.equal(edits, SESSIONS * EDITS_PER_SESSION);
});
