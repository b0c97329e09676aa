// The WebAssembly VM (bin/wvm.wasm under node:wasi, out/wvm-wasm.js) against the native bin/wvm on the
// VM bench programs, in one race, as ratios of CPU time with process start included (Node's start and
// the module's compilation count against the WebAssembly VM). No compile cache: Node 20 has no API to
// keep a compiled WebAssembly module across processes; V8 compiles it at once with its baseline
// compiler (Liftoff) and optimises hot functions in the background.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../compiler/src/compiler";
import { CASES, race } from "./vm.bench";

const ROOT = join(__dirname, "..");

export default async function wasmVmBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "wvm-wasm-bench-"));
  try {
    const results: Record<string, unknown> = { clock: "cpu (user+sys), process start included", target: "wasm_over_native <= 2.5" };
    for (const c of CASES) {
      const compiled = compile(readFileSync(join(ROOT, "bench/programs", `${c.name}.wsp`), "utf8"));
      const whbc = join(dir, `${c.name}.whbc`);
      writeFileSync(whbc, compiled.bytes!);
      const [native, wasm] = race(
        [
          { bin: join(ROOT, "bin/wvm"), args: [whbc, String(c.n)] },
          { bin: process.execPath, args: [join(ROOT, "out/wvm-wasm.js"), whbc, String(c.n)] },
        ],
        dir,
      );
      results[c.name] = {
        n: c.n,
        native_s: native.seconds,
        wasm_s: wasm.seconds,
        wasm_over_native: Math.round((wasm.seconds / native.seconds) * 100) / 100,
        same_output: native.output === wasm.output,
      };
    }
    const hello = join(dir, "hello.whbc");
    writeFileSync(hello, compile('print "hello"\n').bytes!);
    const [n, w] = race([{ bin: join(ROOT, "bin/wvm"), args: [hello] }, { bin: process.execPath, args: [join(ROOT, "out/wvm-wasm.js"), hello] }], dir);
    results.startup = { native_s: n.seconds, wasm_s: w.seconds };
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
