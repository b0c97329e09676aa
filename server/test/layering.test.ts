// The compiler's one public face: the server and the bytecode views import the compiler only
// through compiler/src/index.ts; the compiler itself never speaks LSP positions.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./client";

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

const importOf = /(?:from|import|require)\s*\(?\s*"([^"]+)"/g;

test("the server imports the compiler only through compiler/src/index.ts, the bytecode views through its bytecode part", () => {
  const bad: string[] = [];
  const check = (dir: string, face: RegExp) => {
    for (const file of sources(join(root, dir))) {
      for (const m of readFileSync(file, "utf8").matchAll(importOf)) {
        if (m[1].includes("compiler/src/") && !face.test(m[1])) bad.push(`${relative(root, file)}: ${m[1]}`);
      }
    }
  };
  check("server/src", /compiler\/src\/index$/);
  check("client/src/bytecode", /compiler\/src\/(index|bytecode)$/);
  assert.deepEqual(bad, []);
});

test("the compiler speaks offsets and reference positions: no LSP position in compiler/src", () => {
  const bad: string[] = [];
  for (const file of sources(join(root, "compiler/src"))) {
    const text = readFileSync(file, "utf8");
    if (/\bcharacter\??\s*:\s*(?:number|[a-z])|\bLsp[A-Z]\w*|\blspPosition\b/.test(text)) bad.push(relative(root, file));
  }
  assert.deepEqual(bad, []);
});
