// Issue 15 in a real VS Code: the Testing view (discovery from the workspace and its watchers,
// runs, diffs and failed asserts), call hierarchy, the reference lens's peek and document links.
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { WhispemTestsApi } from "../../src/testing/testController";
import { api, EXTENSION_ID, nextEvent, workspaceFile } from "./helpers";

async function tests(): Promise<WhispemTestsApi> {
  const t = (await api()).tests;
  assert.ok(t, "a trusted workspace has the Testing view's tests");
  await t.discovered;
  return t;
}

function idOf(name: string): string {
  return workspaceFile(name).toString();
}

suite("editor completeness", function () {
  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    if (!existsSync(join(extension.extensionPath, "out", "server.js"))) this.skip();
    await api();
  });

  test("Testing view: discovers expected-output and assert tests, not other programs", async () => {
    const t = await tests();
    const found = new Map(t.tests().map((x) => [x.id, x.kind]));
    assert.equal(found.get(idOf("double.wsp")), "expected", "tests/expected/double.txt");
    assert.equal(found.get(idOf("countdown.wsp")), "expected", "countdown.expected beside it");
    assert.equal(found.get(idOf("test_math.wsp")), "assert");
    assert.equal(found.has(idOf("hello.wsp")), false);
  });

  test("Testing view: runs a passing and a failing expected-output test and a failing assert (diff and line)", async () => {
    const t = await tests();
    const verdicts = await t.run([idOf("double.wsp"), idOf("countdown.wsp"), idOf("test_math.wsp")]);
    assert.equal(verdicts.get(idOf("double.wsp"))?.status, "passed", JSON.stringify(verdicts.get(idOf("double.wsp"))));
    const countdown = verdicts.get(idOf("countdown.wsp"))!;
    assert.equal(countdown.status, "failed");
    assert.deepEqual(
      countdown.messages.map((m) => [m.text, m.expected, m.actual]),
      [["The output differs from countdown.expected from line 4.", "3\n2\n1\nliftoff!\n", "3\n2\n1\ngo!\n"]],
    );
    const asserts = verdicts.get(idOf("test_math.wsp"))!;
    assert.equal(asserts.status, "failed");
    assert.deepEqual(asserts.messages.map((m) => [m.text, m.line]), [["Assertion failed: square(4) is 15", 7]]);
  });

  test("Testing view: a new test file is found from the file watcher, and forgotten when deleted", async () => {
    const t = await tests();
    const uri = workspaceFile("test_watched.wsp");
    const appeared = nextEvent(t.onDidChangeTests, () => t.tests().some((x) => x.id === uri.toString()), "the new test");
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('assert(1 + 1 == 2, "sums")\n'));
    await appeared;
    const verdicts = await t.run([uri.toString()]);
    assert.equal(verdicts.get(uri.toString())?.status, "passed");
    const gone = nextEvent(t.onDidChangeTests, () => !t.tests().some((x) => x.id === uri.toString()), "the deleted test to go");
    await vscode.workspace.fs.delete(uri);
    await gone;
  });

  test("call hierarchy: incoming calls of a function, from the program's top level", async () => {
    const uri = workspaceFile("double.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    const at = document.positionAt(document.getText().indexOf("fn double") + 4);
    const [item] = await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>("vscode.prepareCallHierarchy", uri, at);
    assert.equal(item?.name, "double");
    const incoming = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>("vscode.provideIncomingCalls", item);
    assert.deepEqual(incoming.map((c) => [c.from.name, c.fromRanges.map((r) => r.start.line)]), [["main", [5]]]);
  });

  test("the reference lens counts on resolve and opens the references peek", async () => {
    const uri = workspaceFile("double.wsp");
    await vscode.window.showTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri, 10);
    const lens = lenses.find((l) => l.command?.title === "1 reference");
    assert.ok(lens, `lenses: ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
    assert.equal(lens.command!.command, "editor.action.showReferences");
    const [target, position, locations] = lens.command!.arguments as [vscode.Uri, vscode.Position, vscode.Location[]];
    assert.ok(target instanceof vscode.Uri && position instanceof vscode.Position && locations[0] instanceof vscode.Location, "VS Code's own types");
    // VS Code checks the command's arguments: with the server's plain JSON it would throw.
    await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
    assert.equal(locations[0].range.start.line, 5);
  });

  test("a document link on read_file's path opens that file", async () => {
    const uri = workspaceFile("notes.wsp");
    await vscode.window.showTextDocument(uri);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>("vscode.executeLinkProvider", uri);
    assert.equal(links.length, 1);
    assert.equal(links[0].target?.toString(), workspaceFile("notes.txt").toString());
    await vscode.commands.executeCommand("vscode.open", links[0].target);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), "Remember the milk.\n");
  });

  test("go to definition on a builtin opens its read-only page", async () => {
    const uri = workspaceFile("test_math.wsp");
    const document = await vscode.workspace.openTextDocument(uri);
    const at = document.positionAt(document.getText().indexOf("assert(") + 2);
    const [location] = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>("vscode.executeDefinitionProvider", uri, at);
    const target = location instanceof vscode.Location ? location.uri : (location as vscode.LocationLink).targetUri;
    assert.equal(target.scheme, "whispem-builtin");
    const page = await vscode.workspace.openTextDocument(target);
    assert.match(page.getText(), /^# assert — Whispem builtin/);
    assert.ok(page.getText().includes("Assertion failed: total must be positive"));
  });
});
