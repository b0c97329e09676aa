// What `npm start -- [PATH] [--untrusted]` means, and the settings its code-server session starts
// with. Kept apart from start.mjs so that it can be tested without starting anything.
import { isAbsolute, resolve } from "node:path";

/**
 * `args`: the command line after `npm start --`; `cwd`: where npm was run (INIT_CWD);
 * `env.PORT`: the port to listen on (default: a free one). Throws with a usage line on bad input.
 */
export function parseStartArgs(args, { cwd, defaultFolder, env = {} }) {
  let folder;
  let untrusted = false;
  for (const a of args) {
    if (a === "--untrusted") untrusted = true;
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}; usage: npm start -- [FOLDER] [--untrusted]`);
    else if (folder !== undefined) throw new Error(`one folder only (got ${folder} and ${a}); usage: npm start -- [FOLDER] [--untrusted]`);
    else folder = isAbsolute(a) ? a : resolve(cwd, a);
  }
  const port = env.PORT === undefined || env.PORT === "" ? 0 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0–65535), got ${env.PORT}`);
  return { folder: folder ?? defaultFolder, untrusted, port };
}

/**
 * User settings for the session: no "Setup VS Code Web" walkthrough or welcome page, and no
 * prompt to open the Git repository of a parent folder (the examples live inside this repository).
 */
export const SESSION_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "git.openRepositoryInParentFolders": "never",
};

/** The user's settings file text with the session's settings laid over it (other settings kept). */
export function withSessionSettings(existing) {
  let current = {};
  if (existing && existing.trim() !== "") {
    try {
      current = JSON.parse(existing);
    } catch {
      // settings.json may hold comments; a file we cannot read is replaced rather than crashing.
      current = {};
    }
  }
  return JSON.stringify({ ...current, ...SESSION_SETTINGS }, null, 2) + "\n";
}
