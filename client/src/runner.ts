// Runs one compiled program with the VM (native, or the WebAssembly one under Node) as a child process: streams its output, feeds its
// input, and ends it on request or when a time limit passes.
import { spawn, ChildProcess } from "node:child_process";
import type { VmCommand } from "../../compiler/src/vmSelect";

export interface ProgramOptions {
  /** A native `wvm`, or how to start one (the WebAssembly VM is Node + out/wvm-wasm.js). */
  vm: string | VmCommand;
  /** The `.whbc` file to run; the VM names it in its error messages. */
  bytecode: string;
  args?: string[];
  cwd: string;
  /** Milliseconds after which the program is killed; 0 or absent means no limit. */
  timeLimitMs?: number;
  /** When false, the program's stdin is closed at once, so `input()` reads end of input (""). */
  interactive?: boolean;
  /** For tests: the platform whose way of ending a process is used. */
  platform?: NodeJS.Platform;
  /** For tests: how a process tree is ended on Windows (default: taskkill /T /F). */
  killTree?: (pid: number) => void;
}

export interface ProgramExit {
  /** The exit status, or null when the program ended by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stopped: boolean;
  timedOut: boolean;
  /** Set when the VM could not be started at all. */
  failure?: string;
}

export interface ProgramOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export class Program {
  readonly exited: Promise<ProgramExit>;
  private readonly child: ChildProcess;
  private stopped = false;
  private timedOut = false;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly platform: NodeJS.Platform;
  private readonly killTree: (pid: number) => void;

  constructor(options: ProgramOptions, output: ProgramOutput) {
    const vm: VmCommand = typeof options.vm === "string" ? { kind: "native", command: options.vm, args: [] } : options.vm;
    this.platform = options.platform ?? process.platform;
    this.child = spawn(vm.command, [...vm.args, options.bytecode, ...(options.args ?? [])], {
      cwd: options.cwd,
      env: vm.env ? { ...process.env, ...vm.env } : process.env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    this.killTree = options.killTree ?? ((pid) => spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { windowsHide: true }).on("error", () => undefined));
    const child = this.child;
    child.stdout!.setEncoding("utf8").on("data", (t: string) => output.stdout(t));
    child.stderr!.setEncoding("utf8").on("data", (t: string) => output.stderr(t));
    // Writing to a program that has just ended is not an error worth reporting.
    child.stdin!.on("error", () => undefined);
    if (options.interactive === false) child.stdin!.end();
    if (options.timeLimitMs && options.timeLimitMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.kill();
      }, options.timeLimitMs);
    }
    this.exited = new Promise((resolve) => {
      let failure: string | undefined;
      child.on("error", (e) => {
        failure = `could not start ${vm.command}: ${e.message}`;
      });
      // "close" rather than "exit": all output has been delivered by then.
      child.on("close", (code, signal) => {
        this.ended = true;
        clearTimeout(this.timer);
        resolve({ code, signal, stopped: this.stopped, timedOut: this.timedOut, failure });
      });
    });
  }

  get running(): boolean {
    return !this.ended && this.child.exitCode === null && this.child.signalCode === null;
  }

  write(text: string): void {
    if (this.running && this.child.stdin!.writable) this.child.stdin!.write(text);
  }

  endInput(): void {
    this.child.stdin!.end();
  }

  /** Ends the program at once: a runaway loop does not get to clean up, and needs not. */
  stop(): void {
    if (!this.running) return;
    this.stopped = true;
    this.kill();
  }

  /** Windows has no POSIX signals: end the whole process tree with taskkill, and the child itself. */
  private kill(): void {
    if (this.platform === "win32") {
      if (this.child.pid !== undefined) this.killTree(this.child.pid);
      this.child.kill();
    } else {
      this.child.kill("SIGKILL");
    }
  }
}
