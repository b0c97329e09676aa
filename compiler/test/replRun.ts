// Drives `whispem repl` (out/whispem.js) with entries piped in, for the transcript tests and the
// sanitizer suite (vm-c/test/sanitize.test.ts), which runs the same sessions on build/wvm-asan.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const CLI = join(__dirname, "../../out/whispem.js");
export const TRANSCRIPTS = join(__dirname, "../../test-fixtures/repl");
const CORPUS = join(__dirname, "../../test-fixtures/conformance/run");

export interface ReplResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs the REPL on `input`; `wvm` (a native VM) replaces the bundled one. */
export function runRepl(input: string, wvm?: string, env: NodeJS.ProcessEnv = process.env): Promise<ReplResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "repl"], { stdio: ["pipe", "pipe", "pipe"], env: wvm ? { ...env, WHISPEM_WVM: wvm } : env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ stdout, stderr, status }));
    child.stdin.end(input);
  });
}

/** The golden format: three sections, each a header line then the text as is. */
export function golden(r: ReplResult): string {
  return `--- stdout\n${r.stdout}--- stderr\n${r.stderr}--- status\n${r.status}\n`;
}

export function transcriptNames(): string[] {
  return readdirSync(TRANSCRIPTS)
    .filter((f) => f.endsWith(".in"))
    .sort();
}

export function transcript(name: string): { input: string; golden: string } {
  return { input: readFileSync(join(TRANSCRIPTS, name), "utf8"), golden: join(TRANSCRIPTS, name.replace(/\.in$/, ".golden")) };
}

/** The conformance programs that read nothing and do not exit (they can run inside a session). */
function sessionPrograms(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".wsp"))
    .map((f) => f.slice(0, -4))
    .filter((n) => !/\b(input|exit|args|read_file|write_file|write_hex)\b/.test(readFileSync(join(CORPUS, `${n}.wsp`), "utf8")))
    .sort();
}

/** Those programs `:load`ed one after another into one session WITHOUT a reset: each one's
 * functions replace or add to the last one's (other arities, names now stored as variables). */
export function allWithoutReset(wvm?: string, env?: NodeJS.ProcessEnv): Promise<ReplResult> {
  return runRepl(sessionPrograms().map((n) => `:load ${join(CORPUS, `${n}.wsp`)}\n`).join("") + 'print "the end"\n', wvm, env);
}

/**
 * Every conformance program that reads nothing and does not exit, `:load`ed into ONE session
 * with `:reset` between them: what each prints and the first line of its error must be what the
 * corpus expects of a standalone run (the session links them entry by entry, with the fast
 * paths on). Markers split the streams: a `print` on stdout, an undefined call on stderr.
 * Returns the mismatches (empty when all agree) and how many programs ran.
 */
export async function conformanceInOneSession(wvm?: string, env?: NodeJS.ProcessEnv): Promise<{ problems: string[]; count: number }> {
  const names = sessionPrograms();
  const input = names.map((n) => `:reset\nprint "@@ ${n}"\n__mark_${n}()\n:load ${join(CORPUS, `${n}.wsp`)}\n`).join("") + ":reset\nprint \"@@ end\"\n__mark_end()\n";
  const r = await runRepl(input, wvm, env);
  const split = (text: string, marker: (n: string) => string) => {
    const parts = new Map<string, string>();
    const all = [...names, "end"];
    let at = text.indexOf(marker(all[0]));
    for (let i = 0; i < names.length; i++) {
      const next = text.indexOf(marker(all[i + 1]), at);
      parts.set(names[i], at < 0 || next < 0 ? "<marker missing>" : text.slice(at + marker(all[i]).length, next));
      at = next;
    }
    return parts;
  };
  const outs = split(r.stdout, (n) => `@@ ${n}\n`);
  const errs = split(r.stderr, (n) => `Error: Undefined function: '__mark_${n}'\n  at <main> (line 1)\n`);
  const problems: string[] = [];
  for (const n of names) {
    const expected = (ext: string) => readFileSync(join(CORPUS, `${n}.${ext}`), "utf8");
    if (outs.get(n) !== expected("stdout")) problems.push(`${n}: stdout ${JSON.stringify(outs.get(n)?.slice(0, 300))}`);
    const wantFirst = expected("stderr").split("\n")[0];
    const got = errs.get(n) ?? "";
    // The marker's own "[line 1, col 0] " prefix ends the previous program's stderr.
    const gotFirst = got.replace(/\[line 1, col 0\] $/, "").split("\n")[0];
    if (gotFirst !== wantFirst) problems.push(`${n}: stderr ${JSON.stringify(got.slice(0, 300))}, expected first line ${JSON.stringify(wantFirst)}`);
  }
  if (r.status !== 0) problems.push(`the session ended with status ${r.status}: ${r.stderr.slice(-500)}`);
  return { problems, count: names.length };
}
