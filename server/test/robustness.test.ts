// Robustness: thousands of random edits (inserts, deletions, replacements, undos, several changes
// per notification; 1 560 in `npm test`, 5 200 in `npm run soak`) on generated programs. The server must never crash or stop answering, and
// after every edit its published diagnostics must equal those of a fresh analysis of the same
// text: in-process (the server's own code, fully re-parsed) after each edit, and a freshly
// started server process at the end of each editing session.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Diagnostic, Hover, Position, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol/node";
import { TestClient } from "./client";
import { apply, expressible, generatedPrograms, rng, snippets, type Edit } from "./randomEdits";
import { OpenDocument } from "../src/documents";
import { publishedDiagnostics } from "../src/diagnosticsPublisher";
import { readSettings } from "../src/settings";

// `npm test` runs 6 sessions; `npm run soak` (WHISPEM_SOAK=1) the full 20.
const SESSIONS = process.env.WHISPEM_SOAK === "1" ? 20 : 6;
const EDITS_PER_SESSION = 260;

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

const settings = { diagnostics: { debounceMs: 0 } };

/** What the server publishes first for a version (the compiler's rare limit errors may follow). */
function freshDiagnostics(uri: string, version: number, text: string): Diagnostic[] {
  return publishedDiagnostics(new OpenDocument(uri, version, text), readSettings(settings));
}

test(`the server survives ${SESSIONS * EDITS_PER_SESSION} random edits and always agrees with a fresh analysis`, async () => {
  const programs = generatedPrograms(501, 7);
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
