// `node out/debugAdapter.js`: the Whispem debug adapter speaking DAP on stdin/stdout.
import { WhispemDebugSession } from "./session";

WhispemDebugSession.run(WhispemDebugSession);
