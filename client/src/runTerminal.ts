// A pseudoterminal running one program: output streams in as it comes, typed lines go to the
// program's stdin (so `input()` works), and the exit status is shown when it ends.
import * as vscode from "vscode";
import { LineDiscipline, toTerminalText } from "./lineDiscipline";
import type { ActiveRun, RunResult, RunSink } from "./runTypes";

const DIM = "\x1b[2m";
const RED = "\x1b[31m";
const RESET = "\x1b[0m";

/** One line saying how a run ended. */
export function describeEnd(result: RunResult): string {
  switch (result.outcome) {
    case "exited":
      return result.exitCode === 0 ? "exited with status 0" : `exited with status ${result.exitCode}`;
    case "stopped":
      return "stopped";
    default:
      return result.reason ?? result.outcome;
  }
}

export interface RunTerminalOptions {
  /** Starts the program once the terminal is open; the sink writes to the terminal. */
  start(sink: RunSink): ActiveRun;
  /** Tasks: close when the program ends, reporting its status. Run File: wait for a key. */
  closeWhenDone: boolean;
}

export class RunTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private discipline = new LineDiscipline();
  private run: ActiveRun | undefined;
  private done = false;
  private opened = false;
  private start: (sink: RunSink) => ActiveRun;
  private finished: Promise<RunResult>;
  private resolveFinished!: (r: RunResult) => void;

  constructor(private readonly options: RunTerminalOptions) {
    this.start = options.start;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Resolves when the current program ends (or was refused). */
  get result(): Promise<RunResult> {
    return this.finished;
  }

  open(): void {
    this.opened = true;
    this.begin();
  }

  /**
   * Runs another program in this same terminal (Run File of a file that already has one): the
   * program still running is stopped first; resolves when the new one ends.
   */
  async rerun(start: (sink: RunSink) => ActiveRun): Promise<RunResult> {
    this.start = start;
    if (this.opened && !this.done) {
      this.run?.stop();
      await this.finished;
    }
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    if (this.opened) {
      this.writer.fire(`\x1bc`); // a clean screen for the new run
      this.begin();
    }
    return this.finished;
  }

  private begin(): void {
    this.done = false;
    this.discipline = new LineDiscipline();
    const run = this.start({ write: (t) => this.writer.fire(toTerminalText(t)) });
    this.run = run;
    const resolve = this.resolveFinished;
    void run.result.then((result) => {
      this.done = true;
      const failed = result.outcome !== "exited" || result.exitCode !== 0;
      const colour = failed ? RED : DIM;
      const closing = this.options.closeWhenDone ? "" : " — press any key to close";
      this.writer.fire(`\r\n${colour}[Whispem] ${describeEnd(result)}${RESET}${DIM}${closing}${RESET}\r\n`);
      resolve(result);
      if (this.options.closeWhenDone) this.closer.fire(result.exitCode ?? 1);
    });
  }

  handleInput(data: string): void {
    if (this.done) {
      if (!this.options.closeWhenDone) this.closer.fire();
      return;
    }
    const effects = this.discipline.feed(data);
    if (effects.echo) this.writer.fire(effects.echo);
    for (const line of effects.lines) this.run?.write(line);
    if (effects.endOfInput) this.run?.endInput();
    if (effects.interrupt) this.run?.stop();
  }

  /** The user closed the terminal: the program goes with it. */
  close(): void {
    this.run?.stop();
  }
}
