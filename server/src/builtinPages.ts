// Go to definition on a builtin opens a read-only page about it: the server answers with a
// location in the `whispem-builtin:` scheme, and the client shows the page this module writes
// (a TextDocumentContentProvider for that scheme). Builtins have no source to jump to; the page
// is what the VM does, from the one table in compiler/src/builtins.ts.

import { BUILTINS, builtinSignature } from "../../compiler/src/builtins";
import { builtinErrorsMarkdown } from "./builtinErrors";

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
