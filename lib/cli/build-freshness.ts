/** Whether `next build` output is missing or older than any source it is built from. */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const sources = ["app", "components", "lib", "public", "next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];
/** Paths (relative to the project root) the web build never includes: worker-only code and tooling. */
const notWeb = new Set(["lib/bots", "lib/cli", "node_modules", ".next"]);

function newestMtime(root: string, rel: string): number {
  const p = path.join(root, rel);
  if (notWeb.has(rel) || !existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(root, path.posix.join(rel, entry)));
  return newest;
}

export function needsBuild(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return sources.some((s) => newestMtime(root, s) > built);
}
