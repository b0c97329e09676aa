// The manifest against what the code does: every semantic token type and modifier the server
// sends is a standard one or declared in package.json (with a TextMate scope to fall back on),
// and every contributed command the manifest binds to a key is one the extension registers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SemanticTokenModifiers, SemanticTokenTypes } from "vscode-languageserver-protocol";
import { semanticTokensLegend } from "../../../server/src/semanticTokens";

const root = join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const contributes = manifest.contributes;

test("every semantic token type and modifier the server sends is standard or declared, with scopes for the declared ones", () => {
  const standardTypes = new Set<string>(Object.values(SemanticTokenTypes));
  const standardModifiers = new Set<string>(Object.values(SemanticTokenModifiers));
  const declaredTypes = new Set<string>((contributes.semanticTokenTypes ?? []).map((t: { id: string }) => t.id));
  const declaredModifiers = new Set<string>((contributes.semanticTokenModifiers ?? []).map((m: { id: string }) => m.id));
  for (const t of semanticTokensLegend.tokenTypes) assert.ok(standardTypes.has(t) || declaredTypes.has(t), `token type ${t}`);
  for (const m of semanticTokensLegend.tokenModifiers) assert.ok(standardModifiers.has(m) || declaredModifiers.has(m), `token modifier ${m}`);
  const custom = semanticTokensLegend.tokenModifiers.filter((m) => !standardModifiers.has(m));
  assert.deepEqual(custom.sort(), ["captured", "global", "local"]);
  const scopes = contributes.semanticTokenScopes.find((s: { language?: string }) => s.language === "whispem").scopes as Record<string, string[]>;
  for (const m of custom) assert.ok(Object.keys(scopes).some((k) => k.split(".").slice(1).includes(m)), `a TextMate scope for .${m}`);
  for (const key of Object.keys(scopes)) {
    const [type, ...mods] = key.split(".");
    assert.ok(semanticTokensLegend.tokenTypes.includes(type), `scope key ${key}: the server sends ${type}`);
    for (const m of mods) assert.ok(semanticTokensLegend.tokenModifiers.includes(m), `scope key ${key}: the server sends .${m}`);
  }
});

test("icons, repository and keywords; activation events are only those VS Code cannot infer", () => {
  assert.ok(existsSync(join(root, manifest.icon)), manifest.icon);
  assert.match(manifest.icon, /\.png$/, "the Marketplace takes a PNG icon");
  const icon = contributes.languages[0].icon;
  for (const path of [icon.light, icon.dark]) assert.ok(existsSync(join(root, path)), path);
  assert.ok(manifest.repository?.url);
  assert.ok(manifest.keywords?.length > 0);
  for (const e of manifest.activationEvents) assert.doesNotMatch(e, /^(onCommand|onLanguage|onCustomEditor|onWalkthrough|onView):/, `${e} is inferred from the contributions`);
});

test("keybindings run registered commands in Whispem editors only; walkthrough media exist", () => {
  const commands = new Set(contributes.commands.map((c: { command: string }) => c.command));
  const runKey = contributes.keybindings.find((k: { command: string }) => k.command === "whispem.runFile");
  assert.equal(runKey.key, "ctrl+f5");
  assert.match(runKey.when, /editorLangId == whispem/);
  for (const k of contributes.keybindings) assert.ok(commands.has(k.command), `${k.command} is contributed`);
  const steps = contributes.walkthroughs[0].steps as { media: { image?: string; markdown?: string } }[];
  assert.ok(steps.length >= 4);
  for (const s of steps) {
    const path = s.media.image ?? s.media.markdown;
    assert.ok(path && existsSync(join(root, path)), `${path}`);
  }
});
