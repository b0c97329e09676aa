// Inline values for the stopped frame: each variable read or written on the lines of the stopped
// function up to the stopped line is looked up by name (VS Code asks the adapter to evaluate it
// in the frame, so only names the frame can see get a value).
import * as vscode from "vscode";

const NAME = /\b[A-Za-z_][A-Za-z0-9_]*\b/g;
const KEYWORDS = new Set([
  "let", "fn", "return", "if", "else", "while", "for", "in", "break", "continue", "print", "and", "or", "not",
  "true", "false", "none",
]);

export class WhispemInlineValues implements vscode.InlineValuesProvider {
  provideInlineValues(document: vscode.TextDocument, viewPort: vscode.Range, context: vscode.InlineValueContext): vscode.InlineValue[] {
    const values: vscode.InlineValue[] = [];
    const last = Math.min(context.stoppedLocation.end.line, viewPort.end.line);
    for (let l = viewPort.start.line; l <= last; l++) {
      const text = document.lineAt(l).text;
      const code = text.replace(/#.*$/, "").replace(/"(?:[^"\\]|\\.)*"/g, (s) => " ".repeat(s.length));
      const seen = new Set<string>();
      for (const m of code.matchAll(NAME)) {
        const name = m[0];
        if (KEYWORDS.has(name) || seen.has(name)) continue;
        const after = code.slice(m.index! + name.length).trimStart();
        if (after.startsWith("(")) continue; // a call, not a variable
        seen.add(name);
        const range = new vscode.Range(l, m.index!, l, m.index! + name.length);
        values.push(new vscode.InlineValueVariableLookup(range, name, false));
      }
    }
    return values;
  }
}
