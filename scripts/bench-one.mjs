// Runs one benchmark module and prints its result as one JSON line (helper of bench.mjs).
import { pathToFileURL } from "node:url";
const mod = await import(pathToFileURL(process.argv[2]).href);
const result = await mod.default();
process.stdout.write("\n" + JSON.stringify(result) + "\n");
