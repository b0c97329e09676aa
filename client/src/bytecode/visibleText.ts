// Text from a bytecode file shown so it reads as what it holds: Unicode direction controls and
// other invisible format characters (U+202A–U+202E, U+2066–U+2069, U+200B–U+200F, U+061C,
// U+FEFF, U+2028/U+2029, U+00AD, U+180E, U+2060–U+2064) become visible `\u{…}` escapes, like
// VS Code's `editor.renderControlCharacters`. The webview also isolates each value
// (`unicode-bidi: isolate` in media/bytecode/bytecodeView.css). Pure: unit-tested.

const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `text` with every direction control / invisible format character written as `\u{XXXX}`. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`);
}
