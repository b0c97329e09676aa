// Workspace files on the desktop: the client lists the workspace's .wsp files (workspace.findFiles,
// then watcher events) and the server reads a file that is not open from disk when it needs it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WorkspaceFiles } from "../host";

export class DiskFiles implements WorkspaceFiles {
  read(uri: string): string | undefined {
    try {
      return readFileSync(fileURLToPath(uri), "utf8");
    } catch {
      return undefined;
    }
  }
}
