// The grammar fixture format: a .wsp file whose comment lines of carets name the scopes expected
// under the code line above them (the "syntax test" style of Sublime Text and vscode-tmgrammar-test).
//
//   let x = 1
//   # <- storage.type.whispem              (the column of the '#')
//   #   ^ variable.other.whispem           (each caret marks one column)
//   #     ^ - keyword.operator.comparison  (a leading '-' says the scope must be absent)
//
// Assertion lines are taken out before tokenizing, so they may sit inside a multi-line string or
// f-string without changing it. Columns count code points. An expected value is a descendant
// selector: its space-separated scopes must appear in order in the token's scope stack, each
// matching a whole scope or a dotted prefix of one ("string" matches "string.quoted.double.whispem").
import type { IGrammar } from "vscode-textmate";
import { documentLines, tokenizeLines, type LineTokens } from "./textmate";

export interface ScopeAssertion {
  /** 1-based line of the assertion in the fixture file, for messages. */
  fixtureLine: number;
  /** Index into the code lines (assertion lines removed). */
  codeLine: number;
  /** Code-point columns the assertion covers. */
  columns: number[];
  selector: string[];
  negated: boolean;
}

export interface ScopeFixture {
  codeLines: string[];
  /** 1-based fixture line of each code line. */
  fixtureLineOf: number[];
  assertions: ScopeAssertion[];
}

const assertionLine = /^([ \t]*)#([ \t]*)(<-|\^+)[ \t]*(-[ \t]+)?(\S.*?)?[ \t]*$/;

export function parseScopeFixture(text: string): ScopeFixture {
  const codeLines: string[] = [];
  const fixtureLineOf: number[] = [];
  const assertions: ScopeAssertion[] = [];
  documentLines(text).forEach((line, i) => {
    const m = assertionLine.exec(line);
    if (!m) {
      codeLines.push(line);
      fixtureLineOf.push(i + 1);
      return;
    }
    if (codeLines.length === 0) throw new Error(`line ${i + 1}: an assertion needs a code line above it`);
    if (!m[5]) throw new Error(`line ${i + 1}: the assertion names no scope`);
    const hashColumn = [...m[1]].length;
    const markStart = hashColumn + 1 + [...m[2]].length;
    const columns = m[3] === "<-" ? [hashColumn] : Array.from(m[3], (_, k) => markStart + k);
    assertions.push({
      fixtureLine: i + 1,
      codeLine: codeLines.length - 1,
      columns,
      selector: m[5].split(/\s+/),
      negated: m[4] !== undefined,
    });
  });
  return { codeLines, fixtureLineOf, assertions };
}

/** True when the scope stack contains the selector's scopes in order (descendant selector). */
export function matchesSelector(scopes: readonly string[], selector: readonly string[]): boolean {
  let next = 0;
  for (const scope of scopes) {
    if (next === selector.length) break;
    const want = selector[next];
    if (scope === want || scope.startsWith(want + ".")) next++;
  }
  return next === selector.length;
}

/** The scopes of the token covering a code-point column, or undefined past the end of the line. */
export function scopesAt(line: LineTokens, column: number): readonly string[] | undefined {
  const chars = [...line.text];
  if (column >= chars.length) return undefined;
  const offset = chars.slice(0, column).join("").length; // code points to UTF-16, as the tokens count
  return line.tokens.find((t) => t.startIndex <= offset && offset < t.endIndex)?.scopes;
}

/** Every failed assertion as a readable message; empty when the fixture holds. */
export function checkScopeFixture(grammar: IGrammar, fixture: ScopeFixture, name: string): string[] {
  const doc = tokenizeLines(grammar, fixture.codeLines);
  const failures: string[] = [];
  for (const a of fixture.assertions) {
    const line = doc.lines[a.codeLine];
    for (const column of a.columns) {
      const where = `${name}:${fixture.fixtureLineOf[a.codeLine]}:${column + 1} (assertion on line ${a.fixtureLine})`;
      const scopes = scopesAt(line, column);
      if (!scopes) {
        failures.push(`${where}: the column is past the end of ${JSON.stringify(line.text)}`);
        continue;
      }
      if (matchesSelector(scopes, a.selector) === a.negated) {
        const char = [...line.text][column];
        const expected = (a.negated ? "no " : "") + a.selector.join(" ");
        failures.push(`${where}: ${JSON.stringify(char)} expected ${expected}, has ${scopes.join(" ")}`);
      }
    }
  }
  return failures;
}
