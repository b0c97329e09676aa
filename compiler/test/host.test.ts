// The analysis host's one rule (keep.ts): an item's results are kept while its node and the
// answers to the questions it asked outside itself are the same. Each test here stands for one
// input of that rule: dropping the input (not asking the question, or not comparing an answer)
// makes the test fail — each was checked by planting that fault.

import { test } from "node:test";
import assert from "node:assert/strict";
import { AnalysisHost, analyzeText, type AnalysisDiagnostic } from "../src/index";

/** Applies `from` → `to` (first occurrence) and checks the host's snapshot against a fresh analysis. */
function edit(host: AnalysisHost, from: string, to: string): AnalysisDiagnostic[] {
  const start = host.text.indexOf(from);
  assert.ok(start >= 0, from);
  host.applyEdit({ start, end: start + from.length, text: to });
  const kept = host.snapshot().analysis().diagnostics;
  assert.deepEqual(kept, analyzeText(host.text).analysis().diagnostics, `after ${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  return kept;
}

const messages = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.message);

test("resolution asks whether main stores into a name: a `for` in main makes an unchanged function's read a global", () => {
  const host = new AnalysisHost("fn show() {\n    print x\n}\n\nfn other(n) {\n    return n\n}\n\nprint show()\nprint other(1)\n");
  assert.ok(messages(host.snapshot().analysis().diagnostics).some((m) => m.startsWith("undefined variable 'x'")));
  const after = edit(host, "print other(1)\n", "print other(1)\nfor x in [1] {}\n");
  assert.ok(!messages(after).some((m) => m.startsWith("undefined variable 'x'")), JSON.stringify(messages(after)));
  assert.ok(host.cacheUse().resolutionReused >= 1, "the function that does not read x was kept");
});

test("resolution asks whether a name is a top-level let: a new global turns a function's early read from its own local to the global", () => {
  const host = new AnalysisHost("fn f() {\n    print y\n    let y = 2\n    return y\n}\n\nprint f()\n");
  const codes = (ds: AnalysisDiagnostic[]) => ds.map((d) => d.code);
  const before = host.snapshot().analysis().diagnostics;
  assert.ok(before.some((d) => d.message.includes("'y'")), JSON.stringify(messages(before)));
  const after = edit(host, "print f()\n", "let y = 1\nprint f()\n");
  assert.notDeepEqual(codes(after), codes(before));
});

/** A document whose function `user` is kept while `edits` change one answer it read from main. */
function checkEdits(text: string, edits: [string, string][], expect: (ds: AnalysisDiagnostic[][]) => void): void {
  const host = new AnalysisHost(text);
  const all = [host.snapshot().analysis().diagnostics];
  for (const [from, to] of edits) all.push(edit(host, from, to));
  expect(all);
}

const has = (ds: AnalysisDiagnostic[], text: string) => ds.some((d) => d.message.includes(text));
const relatedOf = (ds: AnalysisDiagnostic[], code: string) => ds.filter((d) => d.code === code).map((d) => d.related?.map((r) => r.span.start));

test("the structure check asks what a variable holds: a global that stops holding a collection", () => {
  checkEdits("let limit = [1, 2]\n\nfn check(n) {\n    if n == limit {\n        return 1\n    }\n    return 0\n}\n\nprint check(1)\n", [["let limit = [1, 2]", "let limit = 3"]], ([a, b]) => {
    assert.ok(has(a, "always false") || a.some((d) => d.code === "WSP3012"), JSON.stringify(a));
    assert.ok(!b.some((d) => d.code === "WSP3012"));
  });
});

test("the structure check asks which collection a variable holds: an array that becomes a dict", () => {
  checkEdits('fn check(n) {\n    if n == limit {\n        return 1\n    }\n    return 0\n}\n\nprint check(1)\nlet limit = [1, 2]\n', [["[1, 2]", '{"a": 1}']], ([a, b]) => {
    assert.ok(a.some((d) => d.code === "WSP3012"));
    assert.notDeepEqual(a.map((d) => d.related), b.map((d) => d.related));
  });
});

test("the structure check's answer places the held value's definition relative to the statement: it follows a global that moves alone", () => {
  checkEdits("fn check(n) {\n    if n == limit {\n        return 1\n    }\n    return 0\n}\n\nprint check(1)\nlet limit = [1, 2]\n", [["let limit", "\n\nlet limit"]], ([a, b]) => {
    assert.notDeepEqual(relatedOf(a, "WSP3012"), relatedOf(b, "WSP3012"));
  });
});

test("the name check asks a named function's parameters: a callee that takes another argument", () => {
  checkEdits("fn user() {\n    return helper(1)\n}\n\nfn helper(a) {\n    return a\n}\n\nprint user()\n", [["fn helper(a)", "fn helper(a, b)"]], ([a, b]) => {
    assert.ok(!has(a, "helper"), JSON.stringify(a.map((d) => d.message)));
    assert.ok(has(b, "helper"), JSON.stringify(b.map((d) => d.message)));
  });
});

test("the name check asks where a named function's name is: 'declared here' follows it", () => {
  checkEdits("fn user() {\n    let f = helper\n    return f\n}\n\nfn helper(a) {\n    return a\n}\n\nprint user()\n", [["fn helper", "\n\nfn helper"]], ([a, b]) => {
    assert.ok(has(a, "helper"));
    assert.notDeepEqual(a.map((d) => d.related), b.map((d) => d.related));
  });
});

test("the name check asks where a nested declaration is: its note follows it", () => {
  checkEdits("fn user() {\n    return inner(1)\n}\n\nif true {\n    fn inner(x) {\n        return x\n    }\n}\nprint user()\n", [["if true", "\n\nif true"]], ([a, b]) => {
    assert.ok(has(a, "inner"));
    assert.notDeepEqual(a.map((d) => d.related), b.map((d) => d.related));
  });
});

test("the name check asks how many definitions a global has: a `for` that stores into it makes a call no longer certainly wrong", () => {
  checkEdits("fn user() {\n    return g()\n}\n\nlet g = 1\nprint user()\n", [["print user()", "for g in [fn() { return 1 }] {}\nprint user()"]], ([a, b]) => {
    assert.ok(a.some((d) => d.code === "WSP3010" || d.message.includes("not a function") || d.message.includes("number")), JSON.stringify(a.map((d) => d.message)));
    assert.notDeepEqual(a.map((d) => d.code), b.map((d) => d.code));
  });
});

test("the name check asks where a global is first defined: a local copy's note follows it", () => {
  checkEdits("fn user() {\n    let g = 2\n    return g\n}\n\nlet g = 1\nprint user()\n", [["let g = 1", "\n\nlet g = 1"]], ([a, b]) => {
    assert.ok(a.some((d) => d.message.includes("'g'")), JSON.stringify(a.map((d) => d.message)));
    assert.notDeepEqual(a.map((d) => d.related), b.map((d) => d.related));
  });
});

test("the name check asks what a global's values are: a call of a variable that holds a string, not a number", () => {
  checkEdits("fn user() {\n    return g()\n}\n\nlet g = 1\nprint user()\n", [["let g = 1", 'let g = "s"']], ([a, b]) => {
    assert.notDeepEqual(a.map((d) => d.message), b.map((d) => d.message));
  });
});

test("the name check asks how many parameters a global's lambda takes", () => {
  checkEdits("fn user() {\n    return cb(1)\n}\n\nlet cb = fn(a, b) { return a }\nprint user()\n", [["fn(a, b)", "fn(a)"]], ([a, b]) => {
    assert.ok(has(a, "cb"), JSON.stringify(a.map((d) => d.message)));
    assert.ok(!has(b, "cb"), JSON.stringify(b.map((d) => d.message)));
  });
});

test("the name check asks what each call reaches: a named function that takes a call away from the function's own variable", () => {
  checkEdits("fn user() {\n    let g = 5\n    return g()\n}\nprint user()\n", [["print user()", "fn g() { return 1 }\nprint user()"]], ([a, b]) => {
    assert.ok(!has(a, "'g' is never used") && !a.some((d) => d.code === "WSP3016"));
    assert.ok(b.some((d) => d.code === "WSP3016"), JSON.stringify(b.map((d) => d.message)));
  });
});

test("the name check asks the file's names when it suggests one", () => {
  checkEdits("fn user(n) {\n    return zqxv(n)\n}\nprint user(1)\n", [["print user(1)", "fn zqxw(a) { return a }\nprint user(1)"]], ([a, b]) => {
    assert.ok(!has(a, "did you mean"));
    assert.ok(has(b, "did you mean 'zqxw'"));
  });
});

test("the name check asks about names its function reads but cannot reach: an undefined name that becomes a named function", () => {
  checkEdits("fn user() {\n    return later\n}\nprint user()\n", [["print user()", "fn later() { return 1 }\nprint user()"]], ([a, b]) => {
    assert.ok(has(a, "undefined variable 'later'"));
    assert.ok(!has(b, "undefined variable 'later'"));
  });
});

test("the name check asks what each call reaches: a global that may now hold a function takes the call from the named function", () => {
  checkEdits("fn user() {\n    return g(1)\n}\n\nfn g() {\n    return 0\n}\n\nlet g = 1 + 2\nprint user()\n", [["1 + 2", "[1][0]"]], ([a, b]) => {
    assert.ok(a.some((d) => d.code === "WSP3015" || d.message.includes("argument")), JSON.stringify(a.map((d) => d.message)));
    assert.notDeepEqual(a.map((d) => d.message), b.map((d) => d.message));
  });
});

test("a rehearsed keystroke (typed, then deleted) ends on the same text with the same answers, and later edits stay exact", () => {
  const text = "fn area(w, h) {\n    let a = w * h\n    return a\n}\nlet xs = [1, 2]\nlet total = area(xs[0], 3)\nprint total + missing\nfor x in xs {\n    print x\n}\n";
  const host = new AnalysisHost(text);
  const before = host.snapshot().analysis();
  for (let k = 0; k < 12; k++) {
    host.rehearseEdit(k);
    assert.equal(host.text, text);
    const after = host.snapshot();
    assert.ok(after.isAnalysed, "the rehearsal leaves the current version analysed");
    assert.deepEqual(after.analysis().diagnostics, before.diagnostics);
  }
  edit(host, "3)", "4)");
  edit(host, "print x", "print x + total");
});

test("one green node at two top-level places (a shared nested statement reused at the top level) gets an AST at each", () => {
  // Equal statements inside blocks share one green node; taking the `fn` lines away makes the
  // incremental re-parse reuse that node at both top-level places.
  let text = "let g = 0\nfn a() {\nlet g = 1\n}\nfn b() {\nlet g = 1\n}\nprint g\n";
  const host = new AnalysisHost(text);
  host.snapshot().analysis();
  const cut = (what: string) => {
    const at = text.indexOf(what);
    host.applyEdit({ start: at, end: at + what.length, text: "" });
    text = text.slice(0, at) + text.slice(at + what.length);
    host.snapshot().analysis();
  };
  for (const what of ["fn a() {\n", "}\n", "fn b() {\n", "}\n"]) cut(what);
  const top = host.snapshot().tree.root.green.children.filter((c) => "children" in c);
  assert.equal(top[1], top[2], "the same green node at two places");
  host.applyEdit({ start: 0, end: 0, text: "# moved\n" });
  text = "# moved\n" + text;
  const places = (h: AnalysisHost) => h.snapshot().analysis().program.body.map((s) => [s.kind, s.start, s.end, s.line]);
  assert.deepEqual(places(host), places(new AnalysisHost(text)));
  assert.notEqual(host.snapshot().analysis().program.body[1], host.snapshot().analysis().program.body[2]);
});
