// Semantic tokens kept per top-level green node across edits equal those of a freshly opened
// document after every edit, for the whole document and for line ranges.
// Sessions run a third of their edits in `npm test`, all of them under WHISPEM_SOAK=1 (`npm run soak`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { OpenDocument } from "../src/documents";
import { encodeTokens } from "../src/semanticTokens";
import { toPosition } from "../src/positions";
import { EditMaker, apply, generatedPrograms, rng, sessionLength } from "./randomEdits";

test("semantic tokens after every edit equal those of a fresh document", () => {
  const programs = generatedPrograms(1201, 3);
  const random = rng(81);
  let version = 1;
  for (const original of programs) {
    let text = original;
    const doc = new OpenDocument("file:///kept.wsp", version, text);
    encodeTokens(doc);
    const maker = new EditMaker(random);
    for (let i = 0; i < sessionLength(120); i++) {
      const e = maker.next(text);
      const range = { start: toPosition(doc.lines, e.start), end: toPosition(doc.lines, e.end) };
      doc.update(++version, [{ range, text: e.text }]);
      text = apply(text, e);
      assert.equal(doc.text, text);
      const fresh = new OpenDocument("file:///fresh.wsp", version, text);
      const where = `program ${programs.indexOf(original)}, edit ${i}: ${JSON.stringify(e)}`;
      assert.deepEqual(encodeTokens(doc), encodeTokens(fresh), where);
      const lines = doc.lines.lineStarts.length;
      const from = Math.floor(random() * lines);
      const to = from + Math.floor(random() * 8);
      assert.deepEqual(encodeTokens(doc, from, to), encodeTokens(fresh, from, to), `${where}, lines ${from}-${to}`);
    }
  }
});
