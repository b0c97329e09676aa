// The programs a window is running, as both Run File hosts keep them (runs.ts with the native or
// WebAssembly `wvm` as a process, web/webRuns.ts with the WebAssembly VM in a worker): started and
// ended events, how many run, stop them all. No Node APIs (the web extension uses it too).
import * as vscode from "vscode";
import type { ActiveRun, RunResult } from "./runTypes";

export class RunSet implements vscode.Disposable {
  private readonly active = new Set<ActiveRun>();
  private readonly started = new vscode.EventEmitter<ActiveRun>();
  private readonly ended = new vscode.EventEmitter<RunResult>();
  readonly onDidStart = this.started.event;
  readonly onDidEnd = this.ended.event;

  /** A run has started: it counts until its result comes. */
  protected track(run: ActiveRun): void {
    this.active.add(run);
    this.started.fire(run);
    void run.result.then((r) => {
      this.active.delete(run);
      this.ended.fire(r);
    });
  }

  get running(): number {
    return this.active.size;
  }

  /** Stops every program still running; returns how many there were. */
  stopAll(): number {
    const n = this.active.size;
    for (const run of this.active) run.stop();
    return n;
  }

  dispose(): void {
    this.stopAll();
    this.started.dispose();
    this.ended.dispose();
  }
}
