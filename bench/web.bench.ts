// The web build (vscode.dev / github.dev): bundle sizes (minified, gzip), and in chromium on the
// test page (client/test/web/pageServer.mjs): the server worker's start (worker created →
// initialize answered), first diagnostics of a 5 000-line file, compiling bin/wvm.wasm, a
// hello-world run (worker start to exit) and fib(27) on the WebAssembly VM beside the native
// bin/wvm. Wall times, median of 5 unless said.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRepoModule as load } from "./shared";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { compile } from "../compiler/src/compiler";

const ROOT = join(__dirname, "..");

/** The test page's functions (client/test/web/page.ts), as seen from page.evaluate (which runs the function's text in the page: no closures). */
type PageApi = Record<string, (...a: unknown[]) => unknown>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => Math.round(x * 10) / 10;

async function sizes(): Promise<Record<string, unknown>> {
  const { webBundles, webBuildOptions } = await load("scripts/build.mjs");
  const out: Record<string, unknown> = {};
  let total = 0;
  let totalGzip = 0;
  for (const b of webBundles as { out: string }[]) {
    const r = await build({ ...webBuildOptions(b, { minify: true }), write: false, logLevel: "silent" });
    const bytes = Buffer.concat(r.outputFiles!.map((f) => Buffer.from(f.contents)));
    const gz = gzipSync(bytes).length;
    out[b.out] = { minified: bytes.length, gzip: gz };
    total += bytes.length;
    totalGzip += gz;
  }
  return { ...out, total_minified: total, total_gzip: totalGzip };
}

export default async function webBench(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { sizes: await sizes() };
  const wasmPath = process.env.WHISPEM_WVM_WASM || join(ROOT, "bin/wvm.wasm");
  if (!existsSync(wasmPath)) return { ...result, browser: `skipped: no ${wasmPath}` };
  result.wvm_wasm_bytes = readFileSync(wasmPath).length;
  const { startPageServer, openPage } = await load("client/test/web/pageServer.mjs");
  const { launchBrowser } = await load("client/test/workbench.mjs");
  const server = await startPageServer({ root: ROOT, wasmPath });
  const browser = await launchBrowser();
  try {
    const big = Array.from({ length: 1000 }, (_, i) => `fn f${i}(x) {\n    let y = x * ${i}\n    return y + 1\n}\nprint f${i}(${i})\n`).join("");
    const starts: number[] = [];
    const diagnostics: number[] = [];
    const wasmCompile: number[] = [];
    const hello: number[] = [];
    for (let round = 0; round < 5; round++) {
      const tab = await openPage(browser, server.url);
      const r = await tab.evaluate(async (text: string) => {
        const w = (globalThis as unknown as { whispem: PageApi }).whispem;
        await w.initialize();
        const started = performance.now() - (w.serverCreatedAt() as number);
        let t = performance.now();
        await w.open("memfs:/big.wsp", text);
        const diagnostics = performance.now() - t;
        t = performance.now();
        await w.loadVm();
        const compile = performance.now() - t;
        t = performance.now();
        const i = await w.run('print "hello"\n');
        await w.ended(i);
        const hello = performance.now() - t;
        return { started, diagnostics, compile, hello };
      }, big);
      starts.push(r.started);
      diagnostics.push(r.diagnostics);
      wasmCompile.push(r.compile);
      hello.push(r.hello);
      await tab.close();
    }
    result.server_start_ms = ms(median(starts));
    result.first_diagnostics_5000_lines_ms = ms(median(diagnostics));
    result.wasm_compile_ms = ms(median(wasmCompile));
    result.hello_run_ms = ms(median(hello));

    // fib(27): the WebAssembly VM in its worker against the native one (best of 3 each).
    const fib = readFileSync(join(ROOT, "bench/programs/fib.wsp"), "utf8");
    const tab = await openPage(browser, server.url);
    const wasmTimes: number[] = [];
    let wasmOutput = "";
    for (let k = 0; k < 3; k++) {
      const r = await tab.evaluate(async (source: string) => {
        const w = (globalThis as unknown as { whispem: PageApi }).whispem;
        await w.loadVm();
        const t = performance.now();
        const i = await w.run(source, {}, ["27"]);
        const end = (await w.ended(i)) as { output: string };
        return { ms: performance.now() - t, output: end.output };
      }, fib);
      wasmTimes.push(r.ms);
      wasmOutput = r.output;
    }
    result.fib27_wasm_ms = ms(Math.min(...wasmTimes));
    const wvm = join(ROOT, "bin/wvm");
    if (existsSync(wvm)) {
      const dir = mkdtempSync(join(tmpdir(), "web-bench-"));
      try {
        const whbc = join(dir, "fib.whbc");
        writeFileSync(whbc, compile(fib).bytes!);
        const native: number[] = [];
        for (let k = 0; k < 3; k++) {
          const t = performance.now();
          const r = spawnSync(wvm, [whbc, "27"], { encoding: "utf8" });
          native.push(performance.now() - t);
          if (r.stdout !== wasmOutput) result.fib27_outputs_differ = { native: r.stdout, wasm: wasmOutput };
        }
        result.fib27_native_ms = ms(Math.min(...native));
        result.fib27_wasm_over_native = Math.round((Math.min(...wasmTimes) / Math.min(...native)) * 100) / 100;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    await tab.close();
  } finally {
    await browser.close();
    await server.close();
  }
  return result;
}
