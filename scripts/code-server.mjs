// A real VS Code without downloads: installs code-server 4.100.3 (VS Code 1.100.3) into the ignored
// `.vscode-test/code-server/` on first use and starts it on loopback. Shared by `npm start` and the tests.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CODE_SERVER_VERSION = "4.100.3";
const installDir = join(root, ".vscode-test", "code-server");
const binPath = join(installDir, "node_modules", ".bin", "code-server");
export const CHROMIUM = "/usr/bin/chromium";

// @vscode/ripgrep 1.15.11 (a code-server dependency) downloads this archive in its postinstall
// unless it is already in its cache; Debian's rg packed under that name serves offline.
const RIPGREP_CACHE = join(tmpdir(), "vscode-ripgrep-cache-1.15.11", "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz");

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

/** Debian packages: the name, and a file whose presence says it is installed. */
const APT_PACKAGES = {
  "libkrb5-dev": "/usr/include/krb5.h", // kerberos native module of code-server
  ripgrep: "/usr/bin/rg", // search in the workbench, and the ripgrep cache below
  chromium: CHROMIUM, // the browser Playwright drives
};

/** Installs the Debian packages that are missing (CI is a fresh machine where we are root). */
export function ensureAptPackages(names) {
  const missing = names.filter((n) => !existsSync(APT_PACKAGES[n]));
  if (missing.length === 0) return;
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) => {
    const cmd = asRoot ? args : ["sudo", "-n", ...args];
    return spawnSync(cmd[0], cmd.slice(1), { stdio: ["ignore", "ignore", "inherit"], env });
  };
  let r = run(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing]);
  if (r.status !== 0) {
    // A fresh machine may have no package lists yet.
    run(["apt-get", "update", "-q"]);
    r = run(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing]);
  }
  if (r.status !== 0) {
    throw new Error(`could not install ${missing.join(", ")}; install them with: sudo apt-get install ${missing.join(" ")}`);
  }
}

function ensureRipgrepCache() {
  if (existsSync(RIPGREP_CACHE)) return;
  mkdirSync(dirname(RIPGREP_CACHE), { recursive: true });
  const r = spawnSync("tar", ["-czf", RIPGREP_CACHE, "-C", "/usr/bin", "rg"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`could not write ${RIPGREP_CACHE}`);
}

function installedVersion() {
  const pkg = join(installDir, "node_modules", "code-server", "package.json");
  if (!existsSync(pkg) || !existsSync(binPath)) return null;
  return JSON.parse(readFileSync(pkg, "utf8")).version;
}

/**
 * Runs `install` while holding a lock directory, so that test runs started at the same time in
 * one working tree do not install into the same folder at once (the second waits for the first).
 */
function whileLocked(install) {
  const lock = `${installDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      // An install takes minutes; a lock much older than that was left by a killed process.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // synchronous pause
    }
  }
  try {
    return install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Returns the code-server executable, installing it (and what it needs) on first use. */
export function ensureCodeServer({ browser = false } = {}) {
  if (installedVersion() === CODE_SERVER_VERSION && existsSync(CHROMIUM) && existsSync(APT_PACKAGES["libkrb5-dev"])) return binPath;
  return whileLocked(() => install(browser));
}

function install(browser) {
  ensureAptPackages(browser ? ["libkrb5-dev", "ripgrep", "chromium"] : ["libkrb5-dev", "ripgrep"]);
  if (installedVersion() === CODE_SERVER_VERSION) return binPath;
  ensureRipgrepCache();
  mkdirSync(installDir, { recursive: true });
  // Its own package.json keeps npm from climbing to the extension's manifest.
  writeFileSync(join(installDir, "package.json"), JSON.stringify({ name: "code-server-cache", private: true }) + "\n");
  log(`installing code-server@${CODE_SERVER_VERSION} into ${installDir} (first use; a few minutes)`);
  const started = Date.now();
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `code-server@${CODE_SERVER_VERSION}`], {
    cwd: installDir,
    stdio: ["ignore", "ignore", "inherit"],
    // Its postinstall insists on unsafe-perm when run as root; a nested `npx node-gyp` needs `yes`.
    env: { ...process.env, npm_config_unsafe_perm: "true", npm_config_yes: "true" },
  });
  if (r.status !== 0 || installedVersion() !== CODE_SERVER_VERSION) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (status ${r.status})`);
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binPath;
}

/**
 * Starts code-server on 127.0.0.1 (port 0: a free one chosen by the OS) without authentication and
 * resolves once it listens. `trust: false` keeps workspace trust on, so folders open untrusted.
 */
export function startCodeServer({ bin, userDataDir, extensionsDir, folder, trust = true, port = 0, env = {} }) {
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // An empty config file of our own, so that code-server does not write one into ~/.config.
  const config = join(userDataDir, "code-server.yaml");
  writeFileSync(config, "");
  const args = [
    "--config", config,
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--user-data-dir", userDataDir,
    "--extensions-dir", extensionsDir,
  ];
  if (trust) args.push("--disable-workspace-trust");
  if (folder) args.push(folder);
  // The extension host inherits this environment (`env` is how tests talk to their suite).
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))\/?/.exec(output);
      if (m) {
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        resolve({
          url: m[1],
          port: Number(m[2]),
          process: child,
          log: () => output,
          stop: () => stopProcess(child),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`code-server exited (${code}) before listening:\n${output}`)));
    child.on("error", reject);
  });
}

/** Ends a child process and waits for it; escalates to SIGKILL after a grace period. */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `node scripts/code-server.mjs install [--browser]`: install ahead of time.
  try {
    console.log(ensureCodeServer({ browser: process.argv.includes("--browser") }));
  } catch (e) {
    console.error(e.message ?? e);
    process.exit(1);
  }
}

/**
 * The workbench URL opening `folder` with the extension at `extensionPath` loaded for development,
 * and, given `testsPath`, its extension-host tests run (the same `payload` test-electron passes).
 */
export function workbenchUrl(server, { folder, extensionPath, testsPath }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [["extensionDevelopmentPath", remote(extensionPath)]];
  if (testsPath) payload.push(["extensionTestsPath", remote(testsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
