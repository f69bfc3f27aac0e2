import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { postgresSchemaText, sqliteSchemaPath } from "@/lib/cli/prisma-schemas";

describe("the PostgreSQL schema derived from prisma/schema.prisma", () => {
  it("differs only in provider and client output", () => {
    const pg = postgresSchemaText();
    expect(pg).toMatch(/^\s*provider\s*=\s*"postgresql"/m);
    expect(pg).toMatch(/^\s*output\s*=\s*"\.\.\/\.\.\/lib\/db\/generated\/postgres"/m);
    expect(pg).not.toMatch(/^\s*provider\s*=\s*"sqlite"/m);
    const strip = (s: string) => s.split("\n").filter((l) => !/^\s*(provider|output)\s*=|^\/\/ GENERATED/.test(l)).join("\n");
    expect(strip(pg)).toBe(strip(readFileSync(sqliteSchemaPath, "utf8")));
  });
});
