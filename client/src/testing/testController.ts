// Whispem programs in VS Code's Testing view (see discovery.ts for what counts as a test). The
// tests are found once with `workspace.findFiles`, then kept up to date from file watchers: an
// event re-examines only the programs it concerns. Runs go through the same compile-and-run path
// as Run File (runs.ts), several at a time (bounded by the cores), without input and with a time
// limit; cancelling stops the programs still running. Only created in trusted workspaces.
//
// Debugging a test: once the debugger can launch a file, call `enableDebugging` with a function
// that debugs one program; it adds the Debug profile (the gutter's and the view's debug buttons).
import * as vscode from "vscode";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import type { Runs } from "../runs";
import { classify, isExpectedFile, programNameOf, type TestKind } from "./discovery";
import { verdict, type Verdict } from "./verdict";

/** A test program is stopped after this long. */
const TIME_LIMIT_MS = 60_000;
const EXCLUDE = "**/{node_modules,.git,out,.vscode-test}/**";
/** What the watchers report from the folders findFiles leaves out is left out too. */
const EXCLUDED_PATH = /[\\/](node_modules|\.git|out|\.vscode-test)[\\/]/;

interface TestEntry {
  item: vscode.TestItem;
  kind: TestKind;
}

/** What the extension's API offers the integration tests (and other extensions). */
export interface WhispemTestsApi {
  /** Resolves once the first discovery has finished. */
  readonly discovered: Promise<void>;
  /** Fires after the set of tests (or what one of them is) changed. */
  readonly onDidChangeTests: vscode.Event<void>;
  tests(): { id: string; label: string; kind: TestKind["kind"]; uri: vscode.Uri }[];
  /** Runs these tests (all when omitted) as the Run profile does; the verdict of each, by id. */
  run(ids?: string[], token?: vscode.CancellationToken): Promise<Map<string, Verdict>>;
}

export class WhispemTests implements vscode.Disposable, WhispemTestsApi {
  private readonly controller = vscode.tests.createTestController("whispem", "Whispem");
  private readonly entries = new Map<string, TestEntry>();
  /** Every known .wsp file by base name (expected files name their program by base name). */
  private readonly programsByName = new Map<string, Set<string>>();
  /** Paths of the expected-output files that exist. */
  private readonly expectedFiles = new Set<string>();
  /** Bumped per program by each event: a slower, older classification is not applied. */
  private readonly generations = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChangeTests = this.changed.event;
  readonly discovered: Promise<void>;

  constructor(private readonly runs: Runs) {
    this.controller.createRunProfile("Run", vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token).then(() => undefined), true);
    this.controller.refreshHandler = () => this.discoverAll();
    const programs = vscode.workspace.createFileSystemWatcher("**/*.wsp");
    const expected = vscode.workspace.createFileSystemWatcher("**/{*.expected,tests/expected/*.txt}");
    this.subscriptions.push(
      this.controller,
      this.changed,
      programs,
      expected,
      programs.onDidCreate((u) => void this.programEvent(u, true)),
      programs.onDidChange((u) => void this.programEvent(u, true)),
      programs.onDidDelete((u) => void this.programEvent(u, false)),
      expected.onDidCreate((u) => void this.expectedEvent(u, true)),
      expected.onDidDelete((u) => void this.expectedEvent(u, false)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discoverAll()),
    );
    this.discovered = this.discoverAll();
  }

  /** The Debug profile, once a debugger can debug one program. */
  enableDebugging(debugOne: (uri: vscode.Uri, token: vscode.CancellationToken) => Promise<void>): vscode.Disposable {
    return this.controller.createRunProfile("Debug", vscode.TestRunProfileKind.Debug, async (request, token) => {
      for (const item of this.requested(request)) if (item.uri && !token.isCancellationRequested) await debugOne(item.uri, token);
    });
  }

  private async discoverAll(): Promise<void> {
    const [programs, expected] = await Promise.all([vscode.workspace.findFiles("**/*.wsp", EXCLUDE), vscode.workspace.findFiles("**/{*.expected,tests/expected/*.txt}", EXCLUDE)]);
    this.expectedFiles.clear();
    for (const u of expected) if (isExpectedFile(u.fsPath)) this.expectedFiles.add(u.fsPath);
    this.programsByName.clear();
    const found = new Set(programs.map((u) => u.toString()));
    for (const [id, entry] of this.entries) if (!found.has(id)) this.remove(entry.item.uri!);
    await Promise.all(programs.map((u) => this.programEvent(u, true, false)));
    this.changed.fire();
  }

  private async programEvent(uri: vscode.Uri, exists: boolean, announce = true): Promise<void> {
    if (uri.scheme !== "file" || EXCLUDED_PATH.test(uri.fsPath)) return;
    const name = basename(uri.fsPath);
    const id = uri.toString();
    const generation = (this.generations.get(id) ?? 0) + 1;
    this.generations.set(id, generation);
    if (!exists) {
      this.programsByName.get(name)?.delete(id);
      this.remove(uri);
      if (announce) this.changed.fire();
      return;
    }
    if (!this.programsByName.has(name)) this.programsByName.set(name, new Set());
    this.programsByName.get(name)!.add(id);
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const readText = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const kind = await classify(uri.fsPath, root, (p) => this.expectedFiles.has(p), readText);
    if (this.generations.get(id) !== generation) return;
    if (kind) this.put(uri, kind);
    else this.remove(uri);
    if (announce) this.changed.fire();
  }

  /** An expected-output file appeared or went: the programs of its name are examined again. */
  private async expectedEvent(uri: vscode.Uri, exists: boolean): Promise<void> {
    if (!isExpectedFile(uri.fsPath) || EXCLUDED_PATH.test(uri.fsPath)) return;
    if (exists) this.expectedFiles.add(uri.fsPath);
    else this.expectedFiles.delete(uri.fsPath);
    const programs = [...(this.programsByName.get(programNameOf(uri.fsPath)) ?? [])];
    await Promise.all(programs.map((id) => this.programEvent(vscode.Uri.parse(id), true, false)));
    this.changed.fire();
  }

  private put(uri: vscode.Uri, kind: TestKind): void {
    const id = uri.toString();
    let entry = this.entries.get(id);
    if (!entry) {
      const item = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri, false), uri);
      // The range puts the run button in the gutter of the program's first line.
      item.range = new vscode.Range(0, 0, 0, 0);
      this.controller.items.add(item);
      entry = { item, kind };
      this.entries.set(id, entry);
    }
    entry.kind = kind;
    entry.item.description = kind.kind === "expected" ? `output = ${vscode.workspace.asRelativePath(kind.expectedPath, false)}` : "asserts";
  }

  private remove(uri: vscode.Uri): void {
    const id = uri.toString();
    if (!this.entries.delete(id)) return;
    this.controller.items.delete(id);
  }

  private requested(request: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set(request.exclude?.map((i) => i.id) ?? []);
    const items: vscode.TestItem[] = [];
    if (request.include) items.push(...request.include);
    else this.controller.items.forEach((i) => items.push(i));
    return items.filter((i) => !excluded.has(i.id) && this.entries.has(i.id));
  }

  tests() {
    return [...this.entries.values()].map((e) => ({ id: e.item.id, label: e.item.label, kind: e.kind.kind, uri: e.item.uri! }));
  }

  run(ids?: string[], token?: vscode.CancellationToken): Promise<Map<string, Verdict>> {
    const include = ids?.map((id) => this.entries.get(id)?.item).filter((i): i is vscode.TestItem => i !== undefined);
    return this.runRequest(new vscode.TestRunRequest(include), token ?? new vscode.CancellationTokenSource().token);
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<Map<string, Verdict>> {
    const run = this.controller.createTestRun(request);
    const queue = this.requested(request);
    for (const item of queue) run.enqueued(item);
    const verdicts = new Map<string, Verdict>();
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        const v = await this.runOne(item, run, token);
        verdicts.set(item.id, v);
        this.report(run, item, v);
      }
    };
    const workers = Math.max(1, Math.min(availableParallelism(), queue.length));
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      run.end();
    }
    return verdicts;
  }

  private async runOne(item: vscode.TestItem, run: vscode.TestRun, token: vscode.CancellationToken): Promise<Verdict> {
    const entry = this.entries.get(item.id);
    if (!entry || !item.uri) return { status: "errored", messages: [{ text: "this test is gone" }] };
    run.started(item);
    const started = Date.now();
    let expected: string | null = null;
    try {
      if (entry.kind.kind === "expected") expected = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(entry.kind.expectedPath)));
    } catch (e) {
      return { status: "errored", messages: [{ text: `cannot read ${entry.kind.kind === "expected" ? entry.kind.expectedPath : ""}: ${e instanceof Error ? e.message : String(e)}` }] };
    }
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(item.uri);
    } catch (e) {
      return { status: "errored", messages: [{ text: `cannot open ${item.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}` }] };
    }
    const active = this.runs.start(document, { write: (t) => run.appendOutput(t.replace(/\r?\n/g, "\r\n"), undefined, item) }, { interactive: false, diagnostics: false, timeLimitMs: TIME_LIMIT_MS });
    const cancel = token.onCancellationRequested(() => active.stop());
    try {
      const result = await active.result;
      const name = entry.kind.kind === "expected" ? basename(entry.kind.expectedPath) : undefined;
      return { ...verdict(result, expected, name), durationMs: Date.now() - started };
    } finally {
      cancel.dispose();
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, v: Verdict): void {
    const uri = item.uri!;
    const messages = v.messages.map((m) => {
      const message = m.expected !== undefined && m.actual !== undefined ? vscode.TestMessage.diff(m.text, m.expected, m.actual) : new vscode.TestMessage(m.text);
      message.location = new vscode.Location(uri, new vscode.Position(m.line !== undefined && m.line > 0 ? m.line - 1 : 0, 0));
      return message;
    });
    if (v.status === "passed") run.passed(item, v.durationMs);
    else if (v.status === "failed") run.failed(item, messages, v.durationMs);
    else if (v.status === "errored") run.errored(item, messages, v.durationMs);
    else run.skipped(item);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
