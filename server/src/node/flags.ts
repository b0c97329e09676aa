// How the language server's Node process is started: the extension's client starts it so, and so
// do the tests' and benches' clients, so what they measure is what users run
// (bench/serverMemory.bench.ts, bench/keystrokes.bench.ts, on the 20 000-line bench file).
//
// --max-semi-space-size=1: the young generation's two halves stay at 1 MB each instead of growing
// to 16 MB. The server's objects are long-lived (trees, ASTs, caches), so a large nursery only
// holds garbage: ~27 MB less resident memory after opening; keystroke latency measured the same.
//
// --v8-pool-size=1: one V8 helper thread instead of four. Concurrent marking, parallel scavenges
// and optimising compiles still run off the main thread, on one helper; with four, on a 2-core
// machine they took both cores from the server's main thread and from the editor while the user
// typed (the first keystrokes are when V8 compiles the edit path). Measured on the 20 000-line
// file, keystrokes typed as soon as the diagnostics are out, 4 → 1 helpers: keystroke p95 32–34 →
// 22–25 ms, max 48–54 → 31–40 ms, hover p95 3.8–4.0 → 2.7–3.3 ms, open 376–390 → 331–354 ms.
// The heap is small (~40 MB), so more helpers have little to share out on larger machines.
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=1", "--v8-pool-size=1"];

// MALLOC_ARENA_MAX=2 (glibc, Linux): at most two malloc arenas instead of eight per core. V8's
// helper threads each got an arena, and what they freed stayed fragmented in them: after 10 000
// edits the server's resident memory stayed 43 % above its figure after opening (the live heap
// 5 %); with two arenas, 5 %. Other C libraries ignore the variable.
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
