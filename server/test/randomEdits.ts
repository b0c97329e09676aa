// Seeded random edits of Whispem programs, for the robustness tests: inserts of tricky snippets,
// deletions, replacements and undos, at offsets an editor can express.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./client";

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function rng(seed: number): () => number {
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

export const snippets = [
  "{", "}", "(", ")", "[", "]", '"', 'f"{', '}"', "\n", " ", "let ", "fn ", "fn(x) { return x }", "x", "count", "if ",
  "else ", "for i in ", "while ", "return", "break", "continue", "# note", "1", "2.5", ",", "=", "==", "<", "push(a, 1)",
  "é", "😀", "\\", "print ", "\t", "\r\n", "a[0] = 1", 'f"{a b}"', "let a = []\n", "fn g(p) {\n  return p\n}\n",
];

export function apply(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/**
 * An offset the editor can express: never between the "\r" and "\n" of a line break, since LSP
 * counts "\r\n" as one line ending (the server clamps such positions to the line's end).
 */
export function expressible(text: string, offset: number): number {
  return offset > 0 && text[offset - 1] === "\r" && text[offset] === "\n" ? offset - 1 : offset;
}

/** Makes edits one after another; each refers to the text left by the previous one. */
export class EditMaker {
  private readonly undo: Edit[] = [];
  constructor(private readonly random: () => number) {}

  next(text: string): Edit {
    const random = this.random;
    const r = random();
    const at = expressible(text, Math.floor(random() * (text.length + 1)));
    const upTo = (n: number) => expressible(text, Math.min(text.length, at + 1 + Math.floor(random() * n)));
    let e: Edit;
    if (r < 0.15 && this.undo.length) e = this.undo.pop()!;
    else if (r < 0.5) e = { start: at, end: at, text: snippets[Math.floor(random() * snippets.length)] };
    else if (r < 0.8) e = { start: at, end: upTo(20), text: "" };
    else e = { start: at, end: upTo(8), text: snippets[Math.floor(random() * snippets.length)] };
    if (e.end < e.start || e.end > text.length) e = { start: at, end: at, text: " " };
    this.undo.push({ start: e.start, end: e.start + e.text.length, text: text.slice(e.start, e.end) });
    return e;
  }
}

/** Generated programs (valid, failing at run time, and with syntax errors) from the shipped generator. */
/**
 * Edits per random-edit session: the full length under `npm run soak` (WHISPEM_SOAK=1), a third of
 * it in `npm test` (the same sessions, cut short).
 */
export function sessionLength(full: number): number {
  return process.env.WHISPEM_SOAK === "1" ? full : Math.ceil(full / 3);
}

export function generatedPrograms(seed: number, perMode: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), "whispem-gen-"));
  try {
    const out: string[] = [];
    for (const [i, mode] of (["ok", "fail", "syntax"] as const).entries()) {
      const target = join(dir, mode);
      const r = spawnSync(process.execPath, [join(root, "test-fixtures/tools/gen-wsp.mjs"), "--seed", String(seed + i), "--count", String(perMode), "--mode", mode, "--out", target]);
      if (r.status !== 0) throw new Error(String(r.stderr));
      for (const f of readdirSync(target).filter((x) => x.endsWith(".wsp")).sort()) out.push(readFileSync(join(target, f), "utf8"));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
