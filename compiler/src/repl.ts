// `whispem repl`: the interactive front-end. Entries are read line by line until our parser says
// they are complete, compiled here, and run in one long-lived `wvm --session` over the control
// channel (docs/vm-protocol.md), which keeps globals and functions between entries. The VM
// writes the program's output straight to our stdout/stderr and flushes before it answers, so a
// prompt never overtakes output. stdin belongs to this front-end: when the program calls
// input(), the VM sends an `input` event and we forward the next line to its stdin pipe.
import { createInterface, type Interface } from "node:readline";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "./compiler";
import { referenceText, type Diagnostic } from "./diagnostics";
import { disassemble } from "./disasm";
import { readWhbc } from "./whbc";
import { BUILTINS, KEYWORDS } from "./builtins";
import { findVm, type CliOutput } from "./cli-bytecode";
import type { VmMode } from "./vmSelect";
import { VmControl } from "./vmControl";

export const BANNER = "Whispem v6.0.0 — REPL\nType 'exit' or press Ctrl-D to quit.\n\n";
const HELP = `Enter Whispem statements; an entry ends when it is complete (open blocks continue with '... ').
A bare expression shows its value. Commands:
  :help            this help
  :reset           a fresh session (forget every variable and function)
  :load FILE       run a file into the session
  :bytecode N      show the disassembly of entry N (default: the last one)
  exit, quit, Ctrl-D   leave
`;
const HISTORY_FILE = ".whispem_repl_history";
const HISTORY_SIZE = 1000;

/** What an entry's text is, for the parser: complete, needing more lines, or wrong for good. */
export type Verdict = { kind: "complete"; bytes: Uint8Array; source: string } | { kind: "more" } | { kind: "error"; diagnostic: Diagnostic };

/**
 * Decides an entry by compiling it: an error at the end of the file (an open block, an open
 * array or call argument list) asks for more lines; any other error is final. A bare expression
 * (rejected as a statement) is run as `print EXPR`.
 */
export function judgeEntry(source: string): Verdict {
  const text = source.endsWith("\n") ? source : source + "\n";
  const result = compile(text);
  if (result.bytes !== null) return { kind: "complete", bytes: result.bytes, source: text };
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.some((d) => /end of file$/.test(d.message))) return { kind: "more" };
  const asPrint = compile("print " + text);
  if (asPrint.bytes !== null) return { kind: "complete", bytes: asPrint.bytes, source: "print " + text };
  return { kind: "error", diagnostic: errors[0] ?? result.diagnostics[0] };
}

/** Names an entry defines (for Tab completion): `let NAME`, `fn NAME`, `for NAME in`. */
export function definedNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\b(?:let|fn|for)\s+([A-Za-z_][A-Za-z0-9_]*)/g)) names.push(m[1]);
  return names;
}

/** Lines from readline as a queue: the entry loop and input() both take the next one. */
class LineSource {
  private lines: string[] = [];
  private waiting: Array<(line: string | null) => void> = [];
  private ended = false;
  constructor(rl: Interface) {
    rl.on("line", (line) => {
      const w = this.waiting.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
    rl.on("close", () => {
      this.ended = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
  }
  next(): Promise<string | null> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

interface ReplOptions {
  vm: VmMode;
}

function parseArgs(args: string[], out: CliOutput): ReplOptions | null {
  const options: ReplOptions = { vm: "auto" };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--vm" && (args[i + 1] === "native" || args[i + 1] === "wasm")) options.vm = args[++i] as VmMode;
    else {
      out.stderr(`usage: whispem repl [--vm native|wasm]\n`);
      return null;
    }
  }
  return options;
}

/** The session's VM: the one `whispem run` would choose ($WHISPEM_WVM, bin/wvm, the WebAssembly VM). */
async function startVm(options: ReplOptions, out: CliOutput): Promise<VmControl | null> {
  const vm = findVm(options.vm);
  if ("problem" in vm) {
    out.stderr(`whispem: ${vm.problem}\n`);
    return null;
  }
  try {
    return await VmControl.start({
      command: vm.command,
      prefixArgs: vm.args,
      args: ["--session"],
      spawn: { stdio: ["pipe", "inherit", "inherit"], env: vm.env ? { ...process.env, ...vm.env } : process.env },
    });
  } catch (e) {
    out.stderr(`whispem: cannot start the VM session: ${e instanceof Error ? e.message : String(e)}\n`);
    return null;
  }
}

/** `whispem repl [--vm native|wasm]` */
export async function replCommand(args: string[], out: CliOutput): Promise<number> {
  const options = parseArgs(args, out);
  if (options === null) return 2;
  const interactive = process.stdin.isTTY === true;
  let vm = await startVm(options, out);
  if (vm === null) return 1;
  const names = new Set<string>();
  const completer = (line: string): [string[], string] => {
    const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(line)?.[0] ?? "";
    if (!word) return [[], ""];
    const all = [...names, ...BUILTINS.keys(), ...KEYWORDS];
    return [[...new Set(all.filter((n) => n.startsWith(word)))].sort(), word];
  };
  const historyPath = join(homedir(), HISTORY_FILE);
  let history: string[] = [];
  if (interactive) {
    try {
      history = readFileSync(historyPath, "utf8").split("\n").filter((l) => l.length > 0).reverse().slice(0, HISTORY_SIZE);
    } catch {
      history = [];
    }
  }
  const rl = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
    completer: interactive ? completer : undefined,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  const lines = new LineSource(rl);
  const scratch = mkdtempSync(join(tmpdir(), "whispem-repl-"));
  const entries: Uint8Array[] = [];
  const transcript = process.env.WHISPEM_REPL_TRANSCRIPT;
  const note = (text: string) => {
    if (transcript) appendFileSync(transcript, text);
  };

  const wireVm = (control: VmControl) => {
    control.on("input", () => {
      void lines.next().then((line) => {
        if (line === null) control.process!.stdin?.end();
        else control.process!.stdin?.write(line + "\n");
      });
    });
  };
  wireVm(vm);

  /** Runs compiled bytes in the session; returns the exit status if the program called exit(). */
  const runBytes = async (bytes: Uint8Array): Promise<number | null> => {
    entries.push(bytes);
    const path = join(scratch, `entry-${entries.length}.whbc`);
    writeFileSync(path, bytes);
    try {
      const body = await vm!.request("run", { path, entry: entries.length });
      if (body.outcome === "exit") {
        const status = Number(body.status);
        await vm!.exited();
        return status;
      }
    } catch (e) {
      out.stderr(`whispem: ${e instanceof Error ? e.message : String(e)}\n`);
      if (vm!.isClosed) {
        // The VM died (it never should): start a fresh one so the user can go on.
        out.stderr("whispem: the VM session ended; starting a fresh one\n");
        vm = await startVm(options, out);
        if (vm === null) return 1;
        wireVm(vm);
      }
    } finally {
      rmSync(path, { force: true });
    }
    return null;
  };

  const command = async (line: string): Promise<void> => {
    const [name, ...rest] = line.trim().split(/\s+/);
    const arg = rest.join(" ");
    if (name === ":help") out.stdout(HELP);
    else if (name === ":reset") {
      await vm!.request("reset");
      names.clear();
      entries.length = 0;
    } else if (name === ":load") {
      let text: string;
      try {
        text = readFileSync(arg, "utf8");
      } catch (e) {
        out.stderr(`Cannot read '${arg}': ${e instanceof Error ? e.message : String(e)}\n`);
        return;
      }
      const result = compile(text);
      if (result.bytes === null) {
        const first = result.diagnostics.find((d) => d.severity === "error") ?? result.diagnostics[0];
        out.stderr(`${arg}: ${referenceText(first)}\n`);
        return;
      }
      for (const n of definedNames(text)) names.add(n);
      const status = await runBytes(result.bytes);
      if (status !== null) throw new ExitRequest(status);
    } else if (name === ":bytecode") {
      const n = arg === "" ? entries.length : Number(arg);
      if (!Number.isInteger(n) || n < 1 || n > entries.length) {
        out.stderr(`:bytecode: no entry ${arg === "" ? "yet" : arg} (entries 1..${entries.length})\n`);
        return;
      }
      const file = readWhbc(entries[n - 1]);
      out.stdout(file.ok ? disassemble(file.file) : `:bytecode: ${file.error}\n`);
    } else out.stderr(`unknown command '${name}' (:help lists them)\n`);
  };

  if (interactive) out.stdout(BANNER);
  let status = 0;
  try {
    let buffer: string[] = [];
    for (;;) {
      if (interactive) {
        rl.setPrompt(buffer.length ? "... " : ">>> ");
        rl.prompt();
      }
      const line = await lines.next();
      if (line === null) {
        out.stdout("\nBye!\n");
        break;
      }
      if (interactive && line.trim() !== "") {
        try {
          appendFileSync(historyPath, line + "\n");
        } catch {
          /* history is a convenience: a read-only home folder must not stop the REPL */
        }
      }
      if (buffer.length === 0) {
        const trimmed = line.trim();
        if (trimmed === "") continue;
        if (trimmed === "exit" || trimmed === "quit") break;
        if (trimmed.startsWith(":")) {
          note(line + "\n");
          await command(trimmed);
          continue;
        }
      }
      buffer.push(line);
      const verdict = judgeEntry(buffer.join("\n"));
      if (verdict.kind === "more") continue;
      note(buffer.join("\n") + "\n");
      buffer = [];
      if (verdict.kind === "error") {
        out.stderr(referenceText(verdict.diagnostic) + "\n");
        continue;
      }
      for (const n of definedNames(verdict.source)) names.add(n);
      const exited = await runBytes(verdict.bytes);
      if (exited !== null) {
        status = exited;
        out.stdout("Bye!\n");
        break;
      }
    }
  } catch (e) {
    if (!(e instanceof ExitRequest)) throw e;
    status = e.status;
    out.stdout("Bye!\n");
  } finally {
    rl.close();
    if (vm && !vm.isClosed) {
      try {
        await vm.request("terminate");
      } catch {
        /* already gone */
      }
    }
    vm?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  return status;
}

class ExitRequest extends Error {
  constructor(readonly status: number) {
    super(`exit(${status})`);
  }
}
