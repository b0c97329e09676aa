// Shared by the editing-aid protocol tests: the fixture, positions found by text, scratch documents.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Position } from "vscode-languageserver-protocol/node";
import { fixtureUri, root, type TestClient } from "./client";

export const aidsFile = "test-fixtures/server-aids/aids.wsp";
export const aidsUri = fixtureUri(aidsFile);
export const aidsText = readFileSync(join(root, aidsFile), "utf8");

/** The position just after the n-th (0-based) occurrence of `needle` (or at its start with `atStart`). */
export function after(text: string, needle: string, n = 0, atStart = false): Position {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`no occurrence ${n} of ${JSON.stringify(needle)}`);
  }
  const offset = atStart ? i : i + needle.length;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

let scratchCount = 0;

/** Opens a new document with this text and waits until the server has analysed it. */
export async function scratch(client: TestClient, text: string): Promise<string> {
  const uri = fixtureUri(`test-fixtures/server-aids/scratch-${process.pid}-${++scratchCount}.wsp`);
  await client.open(uri, text);
  return uri;
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const offset = (p: Position) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
