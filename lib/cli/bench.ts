/**
 * `npm run bench -- NAME [args]`: runs tests/bench/NAME.ts. Benchmarks print
 * their figures and end with a one-line summary. They are not part of `npm test`.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = path.resolve(import.meta.dirname, "../../tests/bench");
const name = process.argv[2];
const available = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- NAME   (available: ${available.join(", ")})`);
  process.exit(2);
}
const file = path.join(dir, `${name}.ts`);
if (!existsSync(file)) process.exit(2);
await import(pathToFileURL(file).href);
