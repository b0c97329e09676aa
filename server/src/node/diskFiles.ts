// Workspace files on the desktop: the .wsp files found by walking the workspace folders on disk.
import { readdirSync, statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { WorkspaceFiles } from "../host";

const skippedDirs = new Set(["node_modules", ".git", "out", ".vscode-test"]);
const maxFiles = 5000;

export class DiskFiles implements WorkspaceFiles {
  private folders: string[] = [];

  setFolders(uris: string[]): void {
    this.folders = uris.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u));
  }

  uris(): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (found.length >= maxFiles) return;
        if (e.isDirectory()) {
          if (!skippedDirs.has(e.name)) walk(join(dir, e.name));
        } else if (e.isFile() && e.name.endsWith(".wsp")) found.push(pathToFileURL(join(dir, e.name)).href);
      }
    };
    for (const f of this.folders) walk(f);
    return found;
  }

  stamp(uri: string): string | undefined {
    try {
      const st = statSync(fileURLToPath(uri));
      return `${st.mtimeMs}:${st.size}`;
    } catch {
      return undefined;
    }
  }

  read(uri: string): string | undefined {
    try {
      return readFileSync(fileURLToPath(uri), "utf8");
    } catch {
      return undefined;
    }
  }
}
