// Which Whispem files are tests (the convention of the language's own repository), as plain
// path logic without VS Code so that it can be unit-tested:
//
// - an expected-output test: a program `NAME.wsp` whose expected output is in `NAME.expected`
//   beside it, or in `tests/expected/NAME.txt` under the program's folder or the workspace
//   folder (looked for in that order);
// - an assert test: a file named `test_*.wsp` that calls `assert(…)`.
import { basename, dirname, extname, join, sep } from "node:path";

export type TestKind = { kind: "expected"; expectedPath: string } | { kind: "assert" };

/** Where the expected output of a program may be, in the order they are looked for. */
export function expectedCandidates(programPath: string, workspaceRoot: string | undefined): string[] {
  const dir = dirname(programPath);
  const name = basename(programPath, extname(programPath));
  const out = [join(dir, `${name}.expected`), join(dir, "tests", "expected", `${name}.txt`)];
  if (workspaceRoot && workspaceRoot !== dir) out.push(join(workspaceRoot, "tests", "expected", `${name}.txt`));
  return out;
}

/** Whether a path is an expected-output file (`*.expected`, or `tests/expected/*.txt`). */
export function isExpectedFile(path: string): boolean {
  if (path.endsWith(".expected")) return true;
  const parts = path.split(sep);
  return path.endsWith(".txt") && parts.length >= 3 && parts[parts.length - 2] === "expected" && parts[parts.length - 3] === "tests";
}

/** The program base name (`NAME.wsp`) an expected-output file belongs to. */
export function programNameOf(expectedPath: string): string {
  const file = basename(expectedPath);
  return file.endsWith(".expected") ? file.slice(0, -".expected".length) + ".wsp" : file.slice(0, -".txt".length) + ".wsp";
}

/** A `test_*.wsp` file name. */
export function isAssertTestName(programPath: string): boolean {
  return /^test_.*\.wsp$/.test(basename(programPath));
}

/** Whether the text calls `assert(` outside comments and strings (a cheap scan, not a parse). */
export function callsAssert(text: string): boolean {
  for (const line of text.split("\n")) {
    const code = stripStringsAndComment(line);
    if (/(^|[^\p{L}\p{N}_])assert\s*\(/u.test(code)) return true;
  }
  return false;
}

function stripStringsAndComment(line: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === "#") break;
    if (c === '"') inString = true;
    else out += c;
  }
  return out;
}

/**
 * What a program is as a test: given which expected-output files exist and (for `test_*.wsp`)
 * its text, if it is needed. Null when it is not a test.
 */
export async function classify(programPath: string, workspaceRoot: string | undefined, expectedExists: (path: string) => boolean, readText: () => Promise<string>): Promise<TestKind | null> {
  const expectedPath = expectedCandidates(programPath, workspaceRoot).find(expectedExists);
  if (expectedPath) return { kind: "expected", expectedPath };
  if (!isAssertTestName(programPath)) return null;
  try {
    return callsAssert(await readText()) ? { kind: "assert" } : null;
  } catch {
    return null;
  }
}
