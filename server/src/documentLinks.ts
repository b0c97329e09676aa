// Document links on the path of `read_file("…")` and `write_file("…", …)`: a string literal
// passed as the first argument of one of these builtins opens that file. A relative path is
// taken from the program's folder, where the extension runs programs (its working directory).

import type { DocumentLink } from "vscode-languageserver/node";
import { unparen } from "../../compiler/src/index";
import type { OpenDocument } from "./documents";
import { toRange } from "./positions";

const fileBuiltins = new Set(["read_file", "write_file"]);

/** A path the program names, as a URI: relative to the program's folder, or absolute (POSIX or a Windows drive). */
function targetUri(path: string, docUri: string): { uri: string; absolute: boolean } | null {
  const drive = /^[A-Za-z]:[\\/]/.test(path);
  const absolute = drive || path.startsWith("/");
  // Built with the URL API (no Node path module: the server also runs in a browser's worker).
  const escaped = path.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
  try {
    const url = drive ? new URL(`file:///${escaped.replace("%3A", ":")}`) : new URL(escaped, docUri);
    return { uri: url.href, absolute };
  } catch {
    return null;
  }
}

export function documentLinks(doc: OpenDocument): DocumentLink[] {
  if (!doc.uri.startsWith("file:")) return [];
  const links: DocumentLink[] = [];
  for (const { ref, call } of doc.analysis().resolution.calls) {
    if (ref.symbol?.kind !== "builtin" || !fileBuiltins.has(ref.name) || call.args.length === 0) continue;
    const arg = unparen(call.args[0]);
    if (arg.kind !== "String" || arg.value === "" || arg.value.includes("\0")) continue;
    const quoted = doc.text[arg.start] === '"' && doc.text[arg.end - 1] === '"' && arg.end - arg.start >= 2;
    const span = quoted ? { start: arg.start + 1, end: arg.end - 1 } : arg;
    const target = targetUri(arg.value, doc.uri);
    if (!target) continue;
    links.push({ range: toRange(doc.lines, span), target: target.uri, tooltip: `Open ${arg.value} (${target.absolute ? "absolute path" : "relative to the program's folder"})` });
  }
  links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return links;
}
