// The one table of Whispem's builtin functions (runtime.md §7): arity, signature, what they do and
// the errors they raise. Name resolution, the analyses, hover and completion all read it.

export interface Builtin {
  name: string;
  /** Fewest and most arguments a call may pass without an arity error. */
  minArgs: number;
  maxArgs: number;
  /** The N of the VM's arity message `Function 'NAME' expected N argument(s), got M`. */
  arityInMessage: number;
  /** Parameter names for the signature; optional ones end with `?`. */
  params: string[];
  /** What a call gives back (a `type_of` name, or `none`, or a short phrase). */
  returns: string;
  description: string;
  /** The runtime errors it raises, as the VM words them (placeholders in capitals). */
  errors: string[];
  /** A keyword of the lexer (it cannot be a `let` name or a parameter); `num_to_hex` is not. */
  keyword: boolean;
  /** May start a statement: the seven of language.md §2 `builtin-stmt`, and `assert`, `exit`. */
  statement: boolean;
  /** An extra remark shown on hover (the reference's surprises). */
  note?: string;
}

function builtin(
  name: string,
  params: string[],
  returns: string,
  description: string,
  errors: string[],
  extra: Partial<Pick<Builtin, "keyword" | "statement" | "note" | "arityInMessage">> = {},
): Builtin {
  const minArgs = params.filter((p) => !p.endsWith("?")).length;
  return {
    name,
    minArgs,
    maxArgs: params.length,
    arityInMessage: extra.arityInMessage ?? params.length,
    params,
    returns,
    description,
    errors,
    keyword: extra.keyword ?? true,
    statement: extra.statement ?? false,
    note: extra.note,
  };
}

const ARRAY_TYPE = "Type error: expected array, found T";

const table: Builtin[] = [
  builtin("length", ["x"], "number", "Number of elements of an array, characters of a string, or entries of a dict.", [
    "Type error: expected array, string, or dict, found T",
  ]),
  builtin("push", ["array", "value"], "array", "A new array: `array` with `value` appended. The argument is not changed.", [ARRAY_TYPE], {
    note: "The result is a new array: write `let a = push(a, x)`; a bare `push(a, x)` statement is a syntax error.",
  }),
  builtin("pop", ["array"], "any", "The last element of the array. The array itself is not changed.", [
    "Cannot pop from an empty array",
    ARRAY_TYPE,
  ]),
  builtin("reverse", ["array"], "array", "A new array with the elements in reverse order.", [ARRAY_TYPE]),
  builtin("slice", ["array", "start", "end"], "array", "A new array of the elements from index `start` up to, not including, `end`.", [
    "Array index must be a number",
    "slice() start S cannot be greater than end E",
    "slice() end index E out of bounds (length: N)",
    ARRAY_TYPE,
  ]),
  builtin("range", ["start", "end"], "array", "The integers start, start+1, … below `end` (both truncated to integers); empty when start ≥ end.", [
    "Type error: expected number, found T",
    "range() too large",
  ]),
  builtin("input", ["prompt?"], "string", "Writes the prompt (no newline), reads one line from standard input without its line ending; `\"\"` at end of input.", [
    "Type error: expected string, found T",
  ]),
  builtin("read_file", ["path"], "string", "The whole contents of a file as a string.", ["Failed to read 'P': REASON", "Type error: expected string, found T"], {
    statement: true,
  }),
  builtin("write_file", ["path", "value"], "none", "Writes the value, formatted as `print` would, to a file.", ["Failed to write 'P': REASON"], {
    statement: true,
  }),
  builtin("keys", ["dict"], "array", "The dict's keys, sorted in byte order.", ["Type error: expected dict, found T"]),
  builtin("values", ["dict"], "array", "The dict's values, in the order of their sorted keys.", ["Type error: expected dict, found T"]),
  builtin("has_key", ["dict", "key"], "bool", "Whether the dict has the key (a number key is turned into its text).", [
    "Type error: expected dict, found T",
    "Type error: expected string or number (as dict key), found T",
  ]),
  builtin("char_at", ["string", "index"], "string", "The character at `index` (counted in characters).", [
    "Type error: expected string, number, found wrong types",
    "Array index I out of bounds (length: N)",
  ]),
  builtin("substr", ["string", "start", "count"], "string", "Up to `count` characters from `start` (both clamped to the string).", [
    "Type error: expected string, number, number, found wrong types",
  ]),
  builtin("ord", ["string"], "number", "The code point of the string's first character.", [
    "Type error: expected string, found T",
    "Type error: expected non-empty string, found empty string",
  ]),
  builtin("num_to_str", ["x"], "string", "The number as text: integers in decimal, other numbers in their shortest round-trip form.", [
    "Type error: expected number, found T",
  ], {
    note: "Integral values are converted through a 64-bit integer and saturate: `num_to_str(1e20)` is `9223372036854775807`, while `print 1e20` shows `100000000000000000000`.",
  }),
  builtin("str_to_num", ["string"], "number", "Parses a number (optional sign, digits with optional fraction and exponent, or inf / infinity / nan), surrounding whitespace ignored.", [
    'Type error: expected numeric string, found "S"',
  ]),
  builtin("args", [], "array", "The script's command-line arguments, as strings.", [], { statement: true }),
  builtin("num_to_hex", ["x"], "string", "The 16 lowercase hex digits of the number's IEEE-754 bits.", ["Type error: expected number, found T"], {
    keyword: false,
    note: "Not a keyword: `num_to_hex` may also be a variable name, but calls `num_to_hex(…)` always reach the builtin.",
  }),
  builtin("write_hex", ["path", "hex"], "none", "Decodes pairs of hex digits into bytes and writes them to a file.", [
    "Type error: expected string, found T",
    "write_hex() needs an even number of hex digits",
    "Failed to write 'P': REASON",
  ], { statement: true }),
  builtin("assert", ["condition", "message?"], "none", "Stops the program with `Assertion failed: MESSAGE` when the condition is falsy.", [
    "Assertion failed: MSG",
  ], { statement: true, arityInMessage: 2 }),
  builtin("type_of", ["value"], "string", "The value's type name: number, string, bool, array, dict, function or none.", []),
  builtin("exit", ["status?"], "none", "Ends the program with the exit status (default 0), printing nothing.", ["Type error: expected number, found T"], {
    statement: true,
    arityInMessage: 1,
  }),
  builtin("map", ["array", "f"], "array", "A new array of `f(x)` for each element x.", [
    ARRAY_TYPE,
    "Type error: expected function, found T",
    "Function 'F' expected N argument(s), got 1",
  ], { statement: true }),
  builtin("filter", ["array", "f"], "array", "A new array of the elements x for which `f(x)` is truthy.", [
    ARRAY_TYPE,
    "Type error: expected function, found T",
    "Function 'F' expected N argument(s), got 1",
  ], { statement: true }),
  builtin("reduce", ["array", "f", "init"], "any", "Folds the array: acc = init, then acc = f(acc, x) for each element x.", [
    ARRAY_TYPE,
    "Type error: expected function, found T",
    "Function 'F' expected N argument(s), got 2",
  ], { statement: true }),
];

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(table.map((b) => [b.name, b]));

export function builtinNamed(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

/** How many arguments a builtin that takes a function (map, filter, reduce) passes to it. */
export const CALLBACK_ARGS: ReadonlyMap<string, { argIndex: number; passes: number }> = new Map([
  ["map", { argIndex: 1, passes: 1 }],
  ["filter", { argIndex: 1, passes: 1 }],
  ["reduce", { argIndex: 1, passes: 2 }],
]);

/** The lexer's keywords that are not builtins (language.md §1). */
export const STATEMENT_KEYWORDS: readonly string[] = [
  "let", "print", "if", "else", "while", "for", "in", "and", "or", "not", "fn", "return", "break", "continue", "true", "false",
];

/** Every word the lexer reads as a keyword: none of them can be a variable, parameter or function name. */
export const KEYWORDS: ReadonlySet<string> = new Set([...STATEMENT_KEYWORDS, ...table.filter((b) => b.keyword).map((b) => b.name)]);

/** `name(a, b?)` — the signature as shown to users. */
export function builtinSignature(b: Builtin): string {
  return `${b.name}(${b.params.join(", ")}) -> ${b.returns}`;
}

/** Whether `count` arguments are accepted. */
export function acceptsArgCount(b: Builtin, count: number): boolean {
  return count >= b.minArgs && count <= b.maxArgs;
}
