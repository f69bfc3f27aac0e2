// ESLint flat config. Besides TypeScript and React hooks rules, this file
// enforces the import rules of DESIGN.md ("Layout"):
//  - app/ and components/ never import vault opening code, exchange credential
//    paths, or lib/bots (the worker side);
//  - components/ never import lib/db or lib/data (they get DTOs as props);
//  - lib/strategies imports nothing with I/O;
//  - lib/bots never imports next/* or React.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

const workerOnly = [
  { group: ["**/lib/vault/open*", "@/lib/vault/open*", "**/lib/vault/keyfile*", "@/lib/vault/keyfile*", "**/lib/vault/rotate*", "@/lib/vault/rotate*"], message: "Only the worker opens sealed secrets (SECURITY.md 8)." },
  { group: ["**/lib/exchange/credentials*", "@/lib/exchange/credentials*"], message: "Exchange credentials are decrypted only in the worker." },
  { group: ["**/lib/alerts/channel-secret*", "@/lib/alerts/channel-secret*"], message: "Alert channel secrets are opened only in the worker." },
  { group: ["**/lib/bots/*", "@/lib/bots/*", "**/lib/bots", "@/lib/bots"], message: "The web tier talks to bots through the database, not by importing lib/bots." },
];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", "data/**", "test-results/**", "playwright-report/**", ".tmp/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["app/**", "components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: workerOnly }] },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [...workerOnly, { group: ["**/lib/db/*", "@/lib/db/*", "**/lib/data/*", "@/lib/data/*"], message: "Components get data as props (DTOs); pages fetch it." }] },
      ],
    },
  },
  {
    files: ["lib/strategies/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["node:*", "fs", "net", "http", "https", "child_process", "ccxt", "**/lib/db/*", "@/lib/db/*", "**/lib/exchange/*", "@/lib/exchange/*", "**/lib/vault/*", "@/lib/vault/*", "@prisma/*", "pg", "better-sqlite3"], message: "Strategies are pure: no I/O, no clock, no credentials." }],
        },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "Strategies never read process.env." }, { name: "fetch", message: "Strategies do no I/O." }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Use ctx.now: the clock is injected." }],
    },
  },
  {
    files: ["lib/bots/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["next", "next/*", "react", "react-dom", "react/*"], message: "lib/bots runs outside Next: no next/* or React." }] }] },
  },
);
