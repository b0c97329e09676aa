// The `whispem.*` settings the server reads through workspace/configuration.

import type { Connection } from "vscode-languageserver/node";

export interface Settings {
  diagnostics: {
    /** Publish diagnostics at all. */
    enable: boolean;
    /** Quiet time after an edit before diagnostics are computed, in milliseconds (0–50). */
    debounceMs: number;
    /** Report unused variables and parameters (faded hints). */
    unused: boolean;
  };
}

export const defaultSettings: Settings = { diagnostics: { enable: true, debounceMs: 0, unused: true } };

/** Takes what the client sent and keeps only well-formed values, defaults for the rest. */
export function readSettings(raw: unknown): Settings {
  const d = (raw as { diagnostics?: Record<string, unknown> } | null)?.diagnostics ?? {};
  const debounce = typeof d.debounceMs === "number" && Number.isFinite(d.debounceMs) ? Math.min(50, Math.max(0, d.debounceMs)) : defaultSettings.diagnostics.debounceMs;
  return {
    diagnostics: {
      enable: typeof d.enable === "boolean" ? d.enable : defaultSettings.diagnostics.enable,
      debounceMs: debounce,
      unused: typeof d.unused === "boolean" ? d.unused : defaultSettings.diagnostics.unused,
    },
  };
}

/** Holds the current settings; asks the client again whenever its configuration changes. */
export class SettingsSource {
  private current: Settings = defaultSettings;

  constructor(
    private readonly connection: Connection,
    private readonly clientSupportsConfiguration: () => boolean,
  ) {}

  get(): Settings {
    return this.current;
  }

  /** Reads the settings again; true when what the published diagnostics depend on changed
   * (so open documents need publishing again; the debounce alone changes nothing shown). */
  async refresh(pushed?: unknown): Promise<boolean> {
    const before = this.current.diagnostics;
    if (this.clientSupportsConfiguration()) {
      const raw = await this.connection.workspace.getConfiguration({ section: "whispem" });
      this.current = readSettings(raw);
    } else if (pushed !== undefined) {
      this.current = readSettings((pushed as { whispem?: unknown } | null)?.whispem);
    }
    const after = this.current.diagnostics;
    return before.enable !== after.enable || before.unused !== after.unused;
  }
}
