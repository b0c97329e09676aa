// One status bar item: the language server's state and how the last run ended.
import * as vscode from "vscode";
import { describeEnd } from "./runTerminal";
import type { RunResult } from "./runTypes";

export type ServerState = "starting" | "running" | "stopped" | "missing";

const SERVER_ICON: Record<ServerState, string> = {
  starting: "$(loading~spin)",
  running: "$(check)",
  stopped: "$(error)",
  missing: "$(warning)",
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("whispem.status", vscode.StatusBarAlignment.Left, 10);
  private server: ServerState = "starting";
  private running = 0;
  private lastRun: RunResult | undefined;

  constructor() {
    this.item.name = "Whispem";
    this.item.command = "whispem.showRunOutput";
    this.render();
    this.item.show();
  }

  setServerState(state: ServerState): void {
    this.server = state;
    this.render();
  }

  setRunning(count: number): void {
    this.running = count;
    this.render();
  }

  setLastRun(result: RunResult): void {
    this.lastRun = result;
    this.render();
  }

  /** The file changed: a line number the last run named may no longer be the line it names. */
  fileChanged(file: string): void {
    if (this.lastRun?.file !== file || !this.lastRun.runtimeError) return;
    this.lastRun = undefined;
    this.render();
  }

  private render(): void {
    let run = "";
    if (this.running > 0) run = "  $(sync~spin) running";
    else if (this.lastRun) run = this.lastRun.outcome === "exited" && this.lastRun.exitCode === 0 ? "  $(pass) ran" : "  $(x) " + runLabel(this.lastRun);
    this.item.text = `${SERVER_ICON[this.server]} Whispem${run}`;
    const lines = [`Language server: ${this.server}`];
    if (this.lastRun) lines.push(`Last run: ${this.lastRun.file} — ${describeEnd(this.lastRun)}`);
    if (this.running > 0) lines.push(`${this.running} program(s) running — Whispem: Stop ends them`);
    this.item.tooltip = lines.join("\n");
  }

  dispose(): void {
    this.item.dispose();
  }
}

function runLabel(r: RunResult): string {
  if (r.runtimeError && r.endOfInput) return "failed without input";
  if (r.runtimeError) return r.runtimeError.line !== null ? `error on line ${r.runtimeError.line}` : "runtime error";
  if (r.outcome === "exited") return `status ${r.exitCode}`;
  return r.outcome === "timedOut" ? "time limit" : r.outcome === "compileError" ? "compile error" : r.outcome;
}
