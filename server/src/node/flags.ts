// How the language server's Node process is started: the extension's client starts it so, and so
// do the tests' and benches' clients, so what they measure is what users run
// (bench/serverMemory.bench.ts, bench/keystrokes.bench.ts, on the 20 000-line bench file).
//
// --max-semi-space-size=1: the young generation's two halves stay at 1 MB each instead of growing
// to 16 MB. The server's objects are long-lived (trees, ASTs, caches), so a large nursery only
// holds garbage: ~27 MB less resident memory after opening; keystroke latency measured the same.
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=1"];

// MALLOC_ARENA_MAX=2 (glibc, Linux): at most two malloc arenas instead of eight per core. V8's
// helper threads each got an arena, and what they freed stayed fragmented in them: after 10 000
// edits the server's resident memory stayed 43 % above its figure after opening (the live heap
// 5 %); with two arenas, 5 %. Other C libraries ignore the variable.
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
