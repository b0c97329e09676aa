// `whispem.runOnSave`: each save of a Whispem file runs it, output in the "Whispem Run" channel.
// One run on save at a time: a save stops the run still going, so a slow loop never piles up.
import * as vscode from "vscode";
import { basename } from "node:path";
import { describeEnd } from "./runTerminal";
import { ActiveRun, Runs } from "./runs";
import { droppedLine, OUTPUT_LIMIT, TailBuffer } from "./tailBuffer";

export class RunOnSave implements vscode.Disposable {
  private current: ActiveRun | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly runs: Runs,
    private readonly channel: vscode.OutputChannel,
  ) {
    this.subscription = vscode.workspace.onDidSaveTextDocument((d) => this.saved(d));
  }

  private saved(document: vscode.TextDocument): void {
    if (document.languageId !== "whispem") return;
    const config = vscode.workspace.getConfiguration("whispem", document.uri);
    if (!config.get<boolean>("runOnSave", false)) return;
    this.current?.stop();
    const name = basename(document.uri.fsPath);
    const refusal = this.runs.refusal();
    if (refusal) {
      this.channel.appendLine(`[${name}] not run: ${refusal}`);
      return;
    }
    const seconds = config.get<number>("runOnSaveTimeLimit", 10);
    this.channel.appendLine(`[${new Date().toLocaleTimeString()}] ${name}`);
    this.channel.show(true);
    // Nobody is there to type: input() reads end of input ("").
    // The channel gets the first half MB as it comes, then only the last half MB, at the end,
    // after a line saying how much was dropped: a flood neither fills memory nor the channel.
    let shown = 0;
    const rest = new TailBuffer(OUTPUT_LIMIT / 2);
    const write = (t: string) => {
      const room = OUTPUT_LIMIT / 2 - shown;
      if (room > 0) {
        const now = t.length <= room ? t : t.slice(0, room);
        this.channel.append(now);
        shown += now.length;
        t = t.slice(now.length);
      }
      rest.append(t);
    };
    const run = this.runs.start(document, { write }, {
      interactive: false,
      timeLimitMs: seconds > 0 ? seconds * 1000 : undefined,
      diagnostics: true,
    });
    this.current = run;
    void run.result.then((result) => {
      if (this.current === run) this.current = undefined;
      if (rest.length > 0 || rest.dropped > 0) {
        this.channel.append(rest.dropped > 0 ? `\n${droppedLine(rest.dropped)}\n${rest.tail()}` : rest.tail());
      }
      const newline = result.output === "" || result.output.endsWith("\n") ? "" : "\n";
      this.channel.append(`${newline}[${name}] ${describeEnd(result)}\n`);
    });
  }

  dispose(): void {
    this.current?.stop();
    this.subscription.dispose();
  }
}
