// `whispem.runOnSave`: each save the user makes of a Whispem file runs it, output in the "Whispem Run"
// channel. Auto-saves never run it (see runOnSavePolicy.ts). One run on save at a time: a save stops
// the run still going, so a slow loop never piles up.
import * as vscode from "vscode";
import { basename } from "node:path";
import { describeEnd } from "./runTerminal";
import { ActiveRun, Runs } from "./runs";
import { runsOnSave, ShowOutput, showsOutput, usesInput } from "./runOnSavePolicy";
import { droppedLine, OUTPUT_LIMIT, TailBuffer } from "./tailBuffer";

export class RunOnSave implements vscode.Disposable {
  private current: ActiveRun | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Why each document is being saved: set by the will-save event, read by the did-save one. */
  private readonly reasons = new Map<string, vscode.TextDocumentSaveReason>();

  constructor(
    private readonly runs: Runs,
    private readonly channel: vscode.OutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document.languageId === "whispem") this.reasons.set(e.document.uri.toString(), e.reason);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.saved(d)),
    );
  }

  private saved(document: vscode.TextDocument): void {
    if (document.languageId !== "whispem") return;
    const reason = this.reasons.get(document.uri.toString());
    this.reasons.delete(document.uri.toString());
    const config = vscode.workspace.getConfiguration("whispem", document.uri);
    if (!config.get<boolean>("runOnSave", false)) return;
    if (!runsOnSave(reason)) return;
    this.current?.stop();
    const name = basename(document.uri.fsPath);
    const showMode = config.get<ShowOutput>("runOnSaveShowOutput", "onFailure");
    const refusal = this.runs.refusal();
    if (refusal) {
      this.channel.appendLine(`[${name}] not run: ${refusal}`);
      if (showsOutput(showMode, true)) this.channel.show(true);
      return;
    }
    const seconds = config.get<number>("runOnSaveTimeLimit", 10);
    // Nobody is there to type: input() reads end of input (""). Whatever fails after that is the
    // missing answer's fault, not the source's, so it is not reported as a problem of the file.
    const readsInput = usesInput(document.getText());
    this.channel.appendLine(`[${new Date().toLocaleTimeString()}] ${name}`);
    if (readsInput) this.channel.appendLine(`[${name}] input() reads end of input ("") in a run on save; use Run File to type answers.`);
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
      diagnostics: !readsInput,
      endOfInput: readsInput,
    });
    this.current = run;
    void run.result.then((result) => {
      if (this.current === run) this.current = undefined;
      if (rest.length > 0 || rest.dropped > 0) {
        this.channel.append(rest.dropped > 0 ? `\n${droppedLine(rest.dropped)}\n${rest.tail()}` : rest.tail());
      }
      const newline = result.output === "" || result.output.endsWith("\n") ? "" : "\n";
      const failed = result.outcome !== "exited" || result.exitCode !== 0;
      const note = failed && readsInput && result.runtimeError ? " (after input() read end of input; not reported as a problem)" : "";
      this.channel.append(`${newline}[${name}] ${describeEnd(result)}${note}\n`);
      if (showsOutput(showMode, failed)) this.channel.show(true);
    });
  }

  dispose(): void {
    this.current?.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
