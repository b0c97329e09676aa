// The bytecode webviews' style sheet: text on the selected chunk uses the colour the theme pairs
// with the selection background, and nothing turns hex (`0x00034e`) into upper case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const css = readFileSync(join(__dirname, "../../../media/bytecode/bytecodeView.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");

/** The declarations of every rule whose selector list includes `selector`. */
function declarations(selector: string): string {
  const out: string[] = [];
  for (const m of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    if (m[1].split(",").some((s) => s.trim() === selector)) out.push(m[2]);
  }
  return out.join(";");
}

test("the selected chunk's facts use the selection's foreground, not the grey description colour", () => {
  assert.match(declarations(".chunk-row.sel .chunk-facts"), /color:\s*var\(--vscode-list-activeSelectionForeground\)/);
});

test("no text is transformed to upper case (hex stays 0x00034e)", () => {
  assert.doesNotMatch(css, /text-transform:\s*uppercase/);
});

test("the constants' bytes column is never clipped", () => {
  const off = declarations(".constant-table td.off");
  assert.match(off, /max-width:\s*none/);
  assert.match(off, /overflow:\s*visible/);
  assert.match(declarations(".constant-table"), /width:\s*max-content/);
});

test("at half width or less the file viewer stacks its panes instead of squeezing them", () => {
  const media = /@media \(max-width: (\d+)px\)\s*\{([\s\S]*?)\n\}/.exec(css);
  assert.ok(media, "a narrow-width rule");
  assert.ok(Number(media[1]) >= 640, "half of a 1 280 px window is narrow");
  assert.match(media[2], /\.file-layout\s*\{[^}]*grid-template-columns:\s*minmax\(0, 1fr\);/);
});
