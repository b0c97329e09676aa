// Writing a compiled file without harming anything else: never over a source (`.wsp`, or the very
// file compiled), never through a symbolic link at the output path — the bytes go to a fresh
// temporary file in the same folder (created exclusively), which is then renamed over the output
// (a rename replaces a link itself, never its target).
import { closeSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

/** Why `target` must not be written for `source`, or null. */
export function outputRefusal(source: string, target: string): string | null {
  if (/\.wsp$/i.test(target)) return `refusing to write bytecode to '${target}': it is a source file name (.wsp)`;
  if (resolve(source) === resolve(target)) return `refusing to write bytecode over its own source '${source}'`;
  try {
    const s = statSync(source);
    const t = statSync(target); // follows a link: the file a write would have reached
    if (s.dev === t.dev && s.ino === t.ino) return `refusing to write bytecode over its own source '${source}'`;
  } catch {
    // no target yet (or no source on disk): nothing to protect
  }
  try {
    if (realpathSync(source) === realpathSync(target)) return `refusing to write bytecode over its own source '${source}'`;
  } catch {
    // as above
  }
  return null;
}

/** Writes `bytes` to `target` through a temporary file in its folder and a rename. */
export function writeOutputFile(target: string, bytes: Uint8Array): void {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", 0o644);
  try {
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
