// The temporary folders programs run from: `whispem-run-PID-…` in the system temp folder, PID
// the extension host that made it. One left by a host that died (its process is gone) is removed
// at the next activation; so is an older unnamed one (`whispem-run-XXXXXX`, made before PIDs were
// in the name) dated before this process started. Folders of live hosts are never touched.
import { readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const RUN_FOLDER_PREFIX = "whispem-run-";

/** The prefix of a new run folder of this process (for mkdtemp). */
export function runFolderPrefix(dir = tmpdir()): string {
  return join(dir, `${RUN_FOLDER_PREFIX}${process.pid}-`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the run folders left behind by dead processes; returns the paths removed. */
export function removeStaleRunFolders(dir = tmpdir(), startedAt = Date.now() - process.uptime() * 1000): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(RUN_FOLDER_PREFIX)) continue;
    const path = join(dir, name);
    const owner = /^whispem-run-(\d+)-/.exec(name);
    let stale: boolean;
    if (owner) stale = Number(owner[1]) !== process.pid && !alive(Number(owner[1]));
    else {
      try {
        stale = statSync(path).mtimeMs < startedAt;
      } catch {
        stale = false;
      }
    }
    if (!stale) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // not ours to remove (permissions): leave it
    }
  }
  return removed;
}
