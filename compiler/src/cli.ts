// The `whispem` command line: a table of subcommands, each implemented in its own file.
//   whispem check FILE.wsp [--json]     whispem compile|dump|run …     whispem --help     whispem --version
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkCommand } from "./cli-check";
import { compileCommand, dumpCommand, runCommand } from "./cli-bytecode";
import { formatCommand } from "./cli-format";
import { replCommand } from "./repl";

export interface CliStreams {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Subcommand {
  /** One line for --help: the arguments, then what the subcommand does. */
  usage: string;
  run(args: string[], out: CliStreams): number | Promise<number>;
}

/** Every subcommand, by name. */
export const subcommands: Record<string, Subcommand> = {
  check: { usage: "check FILE.wsp [--json]          report syntax and compile errors (exit 1 if any)", run: checkCommand },
  compile: { usage: "compile FILE.wsp [-o OUT.whbc] [--debug-info]   compile to bytecode (default: beside the source); --debug-info also writes OUT.whbc.dbg.json", run: compileCommand },
  dump: { usage: "dump FILE.wsp|FILE.whbc          print the disassembly listing", run: dumpCommand },
  run: { usage: "run [--vm native|wasm] FILE.wsp|FILE.whbc [ARGS...]  compile in memory and run it (bin/wvm, or the WebAssembly VM)", run: runCommand },
  repl: { usage: "repl [--vm native|wasm]             the interactive REPL (a session in one VM)", run: replCommand },
  fmt: { usage: "fmt FILE.wsp [--check] [--write]  print the file formatted; --check: exit 1 if not; --write: in place", run: formatCommand },
};

function version(): string {
  // package.json sits above out/ (the bundle) or compiler/src/ (running from source).
  for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
    const p = join(dir, "package.json");
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "whispem" && pkg.version) return pkg.version;
    }
  }
  return "unknown";
}

function help(): string {
  const lines = ["usage: whispem COMMAND [ARGS]", "", "commands:"];
  for (const [name, c] of Object.entries(subcommands)) lines.push(`  ${c.usage.startsWith(name) ? c.usage : `${name} ${c.usage}`}`);
  lines.push("", "options:", "  --help       show this help", "  --version    print the version");
  return lines.join("\n") + "\n";
}

export async function main(argv: string[], out: CliStreams): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    out.stdout(help());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    out.stdout(`whispem ${version()}\n`);
    return 0;
  }
  const command = subcommands[name];
  if (!command) {
    out.stderr(`whispem: unknown command '${name}'\n${help()}`);
    return 2;
  }
  if (args.includes("--help")) {
    out.stdout(`usage: whispem ${command.usage}\n`);
    return 0;
  }
  return command.run(args, out);
}

if (require.main === module) {
  const streams: CliStreams = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), streams).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`whispem: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
