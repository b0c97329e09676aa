// The editor side of debugging: the `whispem` debug type runs the adapter in the extension host
// (DebugAdapterInlineImplementation), F5 on a .wsp file works without a launch.json (the provider
// fills an empty configuration), the VM is the one runs use (client/src/vmLocator.ts: the
// machine-scoped whispem.vmPath and whispem.vm, the bundled bin/wvm, else the WebAssembly VM), and
// only trusted workspaces debug (a program can read and write files).
import * as vscode from "vscode";
import { locateVm, vmMode } from "../vmLocator";
import { WhispemInlineValues } from "./inlineValues";

export const DEBUG_TYPE = "whispem";

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly extensionPath: string) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: "launch", name: "Debug Whispem file", program: "${file}", args: [], stopOnEntry: false, console: "integratedTerminal" }];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage("Whispem programs are debugged only in a trusted workspace (a program can read and write files).");
      return undefined;
    }
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== "whispem") {
        void vscode.window.showInformationMessage("Open a Whispem (.wsp) file to debug it.");
        return undefined;
      }
      config = { type: DEBUG_TYPE, request: "launch", name: "Debug Whispem file", program: "${file}", args: [], stopOnEntry: false, console: "integratedTerminal" };
    }
    if (!config.program) {
      void vscode.window.showErrorMessage("The Whispem launch configuration needs a 'program' (a .wsp file).");
      return undefined;
    }
    // The VM a run would use: the native one's debug mode, or the WebAssembly VM's (the same C,
    // its control channel bridged by out/wvm-wasm.js; going back re-runs from the start there).
    const settings = vscode.workspace.getConfiguration("whispem");
    const vm = locateVm(settings.get<string>("vmPath"), this.extensionPath, vmMode(settings.get<string>("vm")));
    if ("problem" in vm) {
      void vscode.window.showErrorMessage(vm.problem);
      return undefined;
    }
    // Machine-scoped: a workspace's launch.json cannot choose the executable, its arguments or environment.
    config.wvmPath = vm.command;
    config.wvmArgs = vm.args;
    config.wvmEnv = vm.env ?? {};
    config.vmNotice = vm.notice;
    return config;
  }
}

class InlineFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    // The adapter (out/parts/debugSession.js in the desktop build) is loaded by the first session, not at activation.
    const { WhispemDebugSession } = require("./adapter/session") as typeof import("./adapter/session");
    return new vscode.DebugAdapterInlineImplementation(new WhispemDebugSession() as unknown as vscode.DebugAdapter);
  }
}

export function registerDebugging(context: vscode.ExtensionContext): void {
  const provider = new ConfigurationProvider(context.extensionPath);
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineFactory()),
    vscode.languages.registerInlineValuesProvider({ language: "whispem" }, new WhispemInlineValues()),
  );
}
