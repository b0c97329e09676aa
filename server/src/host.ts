// What the language server needs from the platform it runs on. The Node entry (node/main.ts) and
// the web-worker entry (web/main.ts) each provide one; everything else is shared.
import type { Connection } from "vscode-languageserver/node";

/**
 * The Whispem files of the workspace that are not open in the editor, for workspace symbols. The
 * client always lists them (`whispem/workspaceFiles`); on the web it also sends their texts.
 */
export interface WorkspaceFiles {
  /** The file's text (undefined: it cannot be read). */
  read(uri: string): string | undefined;
  /** Where the client sends the files themselves (the web): takes its `whispem/workspaceFiles` notification. */
  apply?(params: unknown): void;
  /** The URIs of the files sent (with `apply`). */
  uris?(): string[];
}

export interface ServerHost {
  readonly connection: Connection;
  readonly files: WorkspaceFiles;
  /** The server's memory figures (for benchmarks), where the platform can tell. */
  memoryUsage(): Record<string, number>;
  /**
   * Collects garbage now, where the platform can: a huge document's analysis lets go of hundreds
   * of MB at once (its tree), which the collector would otherwise leave to grow the heap further.
   */
  collectGarbage?(): void;
  /** Calls `log` for errors that escape a timer or promise. */
  catchStrays(log: (message: string) => void, describe: (e: unknown) => string): void;
}

let current: ServerHost | undefined;

/** Called by an entry before it loads the server. */
export function installHost(host: ServerHost): void {
  current = host;
}

export function serverHost(): ServerHost {
  if (!current) throw new Error("the language server was loaded without a platform entry (server/src/node/main.ts or web/main.ts)");
  return current;
}
