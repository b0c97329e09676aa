// Workspace files in the browser: a worker has no disk, so the web client finds the workspace's
// .wsp files (workspace.findFiles + workspace.fs) and sends their text, then each change, with
// the `whispem/workspaceFiles` notification.
import type { WorkspaceFiles } from "../host";

export const workspaceFilesNotification = "whispem/workspaceFiles";

/** What the notification carries: files (re)read and files gone; `all` replaces every file known. */
export interface WorkspaceFilesParams {
  changed: { uri: string; text: string }[];
  deleted: string[];
  all?: boolean;
}

export class SentFiles implements WorkspaceFiles {
  private readonly files = new Map<string, string>();

  /** Applies a notification; bad input is ignored entry by entry. */
  apply(p: unknown): void {
    const params = p as WorkspaceFilesParams;
    if (params?.all) this.files.clear();
    for (const f of Array.isArray(params?.changed) ? params.changed : []) {
      if (typeof f?.uri === "string" && typeof f.text === "string") this.files.set(f.uri, f.text);
    }
    for (const uri of Array.isArray(params?.deleted) ? params.deleted : []) this.files.delete(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  read(uri: string): string | undefined {
    return this.files.get(uri);
  }
}
