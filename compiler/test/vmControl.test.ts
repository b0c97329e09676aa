// The control channel against a real bin/wvm: connect + token check, a request answered, an
// unknown command refused, and a connection with a wrong token closed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { findWvm } from "../src/cli-bytecode";
import { VmControl, VmControlError } from "../src/vmControl";

const wvm = findWvm();

test("a real wvm connects with the token, answers ping, refuses an unknown command, ends on terminate", { skip: wvm === null }, async () => {
  const vm = await VmControl.start({ command: wvm!, args: ["--session"] });
  try {
    assert.equal(vm.hello.protocol, 1);
    assert.equal(vm.hello.pid, vm.process!.pid);
    const body = await vm.request("ping");
    assert.deepEqual(body, { protocol: 1, mode: "session" });
    await assert.rejects(vm.request("no-such-command"), (e: Error) => e instanceof VmControlError && /unknown command 'no-such-command'/.test(e.message));
    const exited = new Promise<number | null>((resolve) => vm.process!.on("exit", (code) => resolve(code)));
    await vm.request("terminate");
    assert.equal(await exited, 0);
  } finally {
    vm.dispose();
  }
});

test("the controller closes a connection whose hello carries a wrong token", async () => {
  // A stranger connects first with a wrong token; it is dropped and the real VM still gets in.
  const started = VmControl.start({
    command: process.execPath,
    args: [],
    prefixArgs: [
      "-e",
      `const net=require("net");const [port,token]=process.argv[process.argv.length-1].split(":");` +
        `const bad=net.connect(+port,"127.0.0.1",()=>bad.write(JSON.stringify({event:"hello",body:{token:"wrong",protocol:1,pid:1}})+"\\n"));` +
        `bad.on("close",()=>{console.log("stranger closed");const ok=net.connect(+port,"127.0.0.1",()=>ok.write(JSON.stringify({event:"hello",body:{token,protocol:1,pid:process.pid}})+"\\n"));` +
        `ok.on("data",d=>{const m=JSON.parse(d);ok.write(JSON.stringify({request_seq:m.seq,success:true,body:{echo:m.command}})+"\\n")});});`,
      "--",
    ],
    spawn: { stdio: ["ignore", "pipe", "inherit"] },
  });
  // prefixArgs come before --control, so the script reads PORT:TOKEN from "--control P:T".
  const vm = await started;
  try {
    let out = "";
    const sawStranger = new Promise<void>((resolve) =>
      vm.process!.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("stranger closed")) resolve();
      }),
    );
    assert.deepEqual(await vm.request("ping"), { echo: "ping" });
    await sawStranger; // the stranger's connection was closed before the real one was accepted
    assert.match(out, /stranger closed/);
  } finally {
    vm.dispose();
  }
});

test("wvm refuses a bad --control value and reports an unreachable controller", { skip: wvm === null }, async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(wvm!, args);
      let err = "";
      p.stderr.on("data", (d) => (err += d));
      p.on("close", (code) => resolve({ code, err })); // after stderr has ended
    });
  const bad = await run(["--control", "nonsense", "--session"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad --control value 'nonsense'/);
  // A port nobody listens on: take one, close it, then point the VM at it.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
  const refused = await run(["--control", `${port}:t`, "--session"]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /cannot connect to 127\.0\.0\.1:/);
});
