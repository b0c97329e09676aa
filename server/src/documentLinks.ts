// Document links on the path of `read_file("…")` and `write_file("…", …)`: a string literal
// passed as the first argument of one of these builtins opens that file. A relative path is
// taken from the program's folder, where the extension runs programs (its working directory).

import { dirname, isAbsolute, resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DocumentLink } from "vscode-languageserver/node";
import { unparen } from "../../compiler/src/resolve";
import type { OpenDocument } from "./documents";
import { toRange } from "./positions";

const fileBuiltins = new Set(["read_file", "write_file"]);

export function documentLinks(doc: OpenDocument): DocumentLink[] {
  if (!doc.uri.startsWith("file:")) return [];
  let folder: string;
  try {
    folder = dirname(fileURLToPath(doc.uri));
  } catch {
    return [];
  }
  const links: DocumentLink[] = [];
  for (const { ref, call } of doc.analysis().resolution.calls) {
    if (ref.symbol?.kind !== "builtin" || !fileBuiltins.has(ref.name) || call.args.length === 0) continue;
    const arg = unparen(call.args[0]);
    if (arg.kind !== "String" || arg.value === "" || arg.value.includes("\0")) continue;
    const quoted = doc.text[arg.span.start] === '"' && doc.text[arg.span.end - 1] === '"' && arg.span.end - arg.span.start >= 2;
    const span = quoted ? { start: arg.span.start + 1, end: arg.span.end - 1 } : arg.span;
    const target = isAbsolute(arg.value) ? arg.value : resolvePath(folder, arg.value);
    links.push({ range: toRange(doc.lines, span), target: pathToFileURL(target).href, tooltip: `Open ${arg.value} (${isAbsolute(arg.value) ? "absolute path" : "relative to the program's folder"})` });
  }
  links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return links;
}
