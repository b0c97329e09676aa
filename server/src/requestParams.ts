// The one validation point for request params: every guarded handler's params are checked here
// against the fields its LSP request requires, so a malformed request gets InvalidParams
// (-32602) naming the field instead of an internal error from deep inside a handler.

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isUint: Check = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isString: Check = (v) => typeof v === "string";
const isPosition: Check = (v) => isObject(v) && isUint(v.line) && isUint(v.character);
const isRange: Check = (v) => isObject(v) && isPosition(v.start) && isPosition(v.end);
const isDocument: Check = (v) => isObject(v) && typeof v.uri === "string";
const isPositions: Check = (v) => Array.isArray(v) && v.every(isPosition);
const isReferenceContext: Check = (v) => isObject(v) && typeof v.includeDeclaration === "boolean";
const isActionContext: Check = (v) => isObject(v) && Array.isArray(v.diagnostics) && (v.only === undefined || (Array.isArray(v.only) && v.only.every(isString)));

const FIELDS: Record<string, Check> = {
  textDocument: isDocument,
  position: isPosition,
  range: isRange,
  positions: isPositions,
  query: isString,
  newName: isString,
  ch: isString,
  previousResultId: isString,
};

const at = ["textDocument", "position"];
/** Each request's required fields (by the guarded handler's name). */
const REQUIRED: Record<string, string[]> = {
  hover: at,
  definition: at,
  references: [...at, "context:references"],
  documentHighlight: at,
  prepareRename: at,
  rename: [...at, "newName"],
  documentSymbol: ["textDocument"],
  workspaceSymbol: ["query"],
  completion: at,
  signatureHelp: at,
  semanticTokens: ["textDocument"],
  semanticTokensDelta: ["textDocument", "previousResultId"],
  semanticTokensRange: ["textDocument", "range"],
  formatting: ["textDocument"],
  rangeFormatting: ["textDocument", "range"],
  onTypeFormatting: [...at, "ch"],
  codeAction: ["textDocument", "range", "context:action"],
  inlayHint: ["textDocument", "range"],
  codeLens: ["textDocument"],
  foldingRange: ["textDocument"],
  selectionRange: ["textDocument", "positions"],
};

const CONTEXTS: Record<string, Check> = { references: isReferenceContext, action: isActionContext };

/** What is wrong with `params` for the request `name`, or null when they have its shape (or it has none listed). */
export function paramsProblem(name: string, params: unknown): string | null {
  const required = REQUIRED[name];
  if (!required) return null;
  if (!isObject(params)) return `${name}: params must be an object`;
  for (const field of required) {
    const [key, context] = field.split(":");
    const check = context ? CONTEXTS[context] : FIELDS[key];
    if (!check(params[key])) return `${name}: missing or malformed '${key}'`;
  }
  return null;
}
