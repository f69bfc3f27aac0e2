import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints snippets as if they lived at a path, through the project's real config.
const eslint = new ESLint({ cwd: process.cwd() });
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("import rules from DESIGN.md", () => {
  it.each([
    ["app/keys/actions.ts", 'import { openSealed } from "@/lib/vault/open";\nexport const x = openSealed;\n'],
    ["components/key-table.tsx", 'import { openSealed } from "../lib/vault/open";\nexport const x = openSealed;\n'],
    ["app/bots/page.tsx", 'import { Worker } from "@/lib/bots/worker";\nexport const x = Worker;\n'],
    ["components/bots.tsx", 'import { db } from "@/lib/db/client";\nexport const x = db;\n'],
    ["lib/strategies/dca.ts", 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n'],
    ["lib/strategies/dca.ts", "export const x = () => Date.now();\n"],
    ["lib/strategies/dca.ts", "export const x = () => process.env.SECRET;\n"],
    ["lib/bots/runner.ts", 'import { headers } from "next/headers";\nexport const x = headers;\n'],
  ])("%s: forbidden import is a lint error", async (file, code) => {
    const ids = await ruleIds(file, code);
    expect(ids.some((id) => /no-restricted/.test(id))).toBe(true);
  });

  it("allowed imports pass", async () => {
    expect(await ruleIds("app/keys/page.tsx", 'import { seal } from "@/lib/vault/seal";\nexport const x = seal;\n')).toEqual([]);
    expect(await ruleIds("lib/bots/runner.ts", 'import { db } from "../db/client";\nexport const x = db;\n')).toEqual([]);
  });
});
