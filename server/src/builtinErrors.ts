// The builtins' runtime errors as a reader sees them: the table in compiler/src/builtins.ts words
// them with capital placeholders (T, N, F, P, …); hover and the builtin pages show each as an
// example of the real message, followed by what varies in it.

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
