// What run on save decides, kept apart from VS Code so it can be tested alone: which saves run the
// file, when the Whispem Run output is brought forward, and whether a program may ask for input.

/** `vscode.TextDocumentSaveReason`: 1 Manual, 2 AfterDelay, 3 FocusOut. */
export const SAVE_REASON_MANUAL = 1;

/** Only a save the user made runs the file; auto-save (after a delay, on focus change) never does. */
export function runsOnSave(reason: number | undefined): boolean {
  return reason === SAVE_REASON_MANUAL;
}

/** `whispem.runOnSaveShowOutput`. */
export type ShowOutput = "onFailure" | "always" | "never";

/** Whether the Whispem Run output is brought forward after a run on save ended this way. */
export function showsOutput(mode: ShowOutput | undefined, failed: boolean): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  return failed;
}

/** Whether the program calls `input()` anywhere (outside comments and strings). */
export function usesInput(text: string): boolean {
  // The lexer is loaded by the first run on save, not at activation (inputCalls.ts).
  return (require("./inputCalls") as typeof import("./inputCalls")).usesInput(text);
}
