// What a terminal driver does for a program reading stdin through a pipe: echo keystrokes, edit
// the current line (backspace), send it on Enter, Ctrl+C interrupts, Ctrl+D ends input.

export interface InputEffects {
  /** Text to show in the terminal (the echo). */
  echo: string;
  /** Complete lines to send to the program, each ending in "\n". */
  lines: string[];
  interrupt: boolean;
  endOfInput: boolean;
}

export class LineDiscipline {
  private pending = "";

  /** Feeds what the user typed (or what `Terminal.sendText` sent) and says what to do with it. */
  feed(data: string): InputEffects {
    const effects: InputEffects = { echo: "", lines: [], interrupt: false, endOfInput: false };
    // Escape sequences (arrows, function keys) are not line editing we support: drop them whole.
    const text = data.replace(/\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)/g, "");
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "\r" || c === "\n") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        effects.lines.push(this.pending + "\n");
        this.pending = "";
        effects.echo += "\r\n";
      } else if (c === "\x7f" || c === "\b") {
        if (this.pending.length > 0) {
          const chars = Array.from(this.pending);
          chars.pop();
          this.pending = chars.join("");
          effects.echo += "\b \b";
        }
      } else if (c === "\x03") {
        effects.interrupt = true;
        effects.echo += "^C\r\n";
        this.pending = "";
      } else if (c === "\x04") {
        // Like a tty: Ctrl+D on an empty line ends input; otherwise it sends what is typed.
        if (this.pending.length === 0) effects.endOfInput = true;
        else effects.lines.push(this.pending);
        this.pending = "";
      } else if (c >= " " || c === "\t") {
        this.pending += c;
        effects.echo += c;
      }
    }
    return effects;
  }
}

/** Terminals need CRLF; programs write LF. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}
