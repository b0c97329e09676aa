// What the editor shows about a builtin, from the one table in builtins.ts: its runtime errors as
// a reader sees them (the table words them with capital placeholders — T, N, F, P, … — shown here
// as an example of the real message followed by what varies in it), and the read-only page that
// go to definition on a builtin opens (the server answers with a `whispem-builtin:/NAME.md`
// location; the client shows this page for that URI). Plain text, no editor dependencies.

import { BUILTINS, builtinSignature } from "./builtins";

interface Placeholder {
  /** The placeholder in its context. */
  pattern: RegExp;
  /** The example text put in its place ($1… keep the context). */
  example: string;
  /** What the placeholder stands for. */
  meaning: string;
}

const placeholders: Placeholder[] = [
  { pattern: /found T\b/, example: "found none", meaning: "`none` is the type (`type_of`) of what was passed" },
  { pattern: /Function 'F' expected N argument\(s\), got (\d)/, example: "Function 'double' expected 2 argument(s), got $1", meaning: "`double` is the function passed and 2 the parameters it takes (a lambda's name is `__lambda_LINE_N`)" },
  { pattern: /start S cannot be greater than end E/, example: "start 4 cannot be greater than end 2", meaning: "4 and 2 are the start and end passed" },
  { pattern: /end index E out of bounds \(length: N\)/, example: "end index 5 out of bounds (length: 3)", meaning: "5 is the end passed, 3 the array's length" },
  { pattern: /Array index I out of bounds \(length: N\)/, example: "Array index 7 out of bounds (length: 3)", meaning: "7 is the index passed, 3 the string's length" },
  { pattern: /'P': REASON/, example: "'data.txt': No such file or directory", meaning: "the path as given, and the system's reason" },
  { pattern: /Assertion failed: MSG/, example: "Assertion failed: total must be positive", meaning: "the message argument, formatted as `print` would (`assertion failed` without one)" },
  { pattern: /found "S"/, example: 'found "12abc"', meaning: "the argument as passed, surrounding spaces included" },
];

export interface BuiltinError {
  /** The message as the VM prints it, with example values. */
  text: string;
  /** What varies in it, or null when it is always worded so. */
  varies: string | null;
}

export function builtinError(template: string): BuiltinError {
  let text = template;
  const varies: string[] = [];
  for (const p of placeholders) {
    if (!p.pattern.test(text)) continue;
    text = text.replace(p.pattern, p.example);
    varies.push(p.meaning);
  }
  return { text, varies: varies.length ? varies.join("; ") : null };
}

/** A Markdown list of the errors, for hover and the builtin pages. */
export function builtinErrorsMarkdown(templates: readonly string[]): string {
  return templates
    .map((t) => {
      const e = builtinError(t);
      return `- \`${e.text}\`${e.varies ? ` — ${e.varies}` : ""}`;
    })
    .join("\n");
}

export const BUILTIN_SCHEME = "whispem-builtin";

/** The page's URI: `whispem-builtin:/NAME.md` (the `.md` makes VS Code show it as Markdown). */
export function builtinPageUri(name: string): string {
  return `${BUILTIN_SCHEME}:/${encodeURIComponent(name)}.md`;
}

/** The builtin a page URI's path names, if it is one. */
export function builtinOfPath(path: string): string | null {
  const m = /^\/?([^/]+)\.md$/.exec(path);
  if (!m) return null;
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return BUILTINS.has(name) ? name : null;
}

/** The page's Markdown text, or null for a name that is not a builtin. */
export function builtinPage(name: string): string | null {
  const b = BUILTINS.get(name);
  if (!b) return null;
  const arity = b.minArgs === b.maxArgs ? `${b.minArgs}` : `${b.minArgs}–${b.maxArgs}`;
  const lines = [
    `# ${b.name} — Whispem builtin`,
    "",
    "```whispem",
    builtinSignature(b),
    "```",
    "",
    b.description,
    "",
    `- Arguments: ${arity}; another count stops the program with \`Function '${b.name}' expected ${b.arityInMessage} argument(s), got M\`.`,
    `- Returns: ${b.returns}.`,
    `- ${b.keyword ? "A keyword: it cannot be used as a variable or parameter name." : "Not a keyword, but a call by this name always reaches the builtin."}`,
  ];
  if (b.note) lines.push("", b.note);
  if (b.errors.length) lines.push("", "## Errors", "", builtinErrorsMarkdown(b.errors));
  lines.push("", "Builtins are checked at every call before variables and named functions. They are not values: to pass one, wrap it in a lambda.", "");
  return lines.join("\n");
}
