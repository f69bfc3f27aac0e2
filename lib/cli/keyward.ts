/**
 * `npm run keyward -- <command>`: administration for headless installs.
 * Runs with the worker's rights (it may read the vault key file).
 */
import { parseArgs } from "node:util";
import type { z } from "zod";
import { appendAudit } from "../audit/append";
import { verifyAuditChain } from "../audit/verify";
import { createApiToken } from "../auth/api-tokens";
import { resetSecondFactors } from "../auth/two-factor/factors";
import { createUser, listUsers, setPassword, UserError } from "../auth/users";
import { db } from "../db/client";
import { backtestCommand, backtestUsage, BacktestUsageError } from "./backtest-command";
import { prepareDatabase } from "./prepare-database";
import { env, EnvError } from "../env";
import { VaultKeyError } from "../vault/keyfile";
import { loadVault } from "../vault/keyring";
import { rotateVault } from "../vault/rotate";
import { createTokenSchema, emailSchema, passwordSchema, roleSchema } from "../validation/auth";

const usage = `Usage: npm run keyward -- <command>

  user create --email E --role owner|operator|viewer --password-stdin
  user reset-password --email E --password-stdin     (ends that user's sessions, revokes their API tokens)
  user reset-2fa --email E                           (removes every second factor of that user, ends their sessions)
  user list
  token create --email E --scopes read,operate,admin --expires 30d [--name N]
                                                      (at most 365d; prints the token once)
  audit verify                                        (checks the hash chain)
  vault status
  vault rotate                                        (new key version, rewrap, retire old)
${backtestUsage}`;

class CliError extends Error {}

const actor = { id: null, label: "cli" };

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError("--password-stdin reads the password from standard input, e.g.: printf '%s' \"$PW\" | npm run keyward -- …");
  let data = "";
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, "");
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`${what}: ${r.error.issues.map((i) => i.message).join(" ")}`);
  return r.data;
}

async function findUser(email: string) {
  const u = await db().user.findUnique({ where: { email: check(emailSchema, email, "--email") } });
  if (!u) throw new CliError(`No user with email ${email}. List them with: npm run keyward -- user list`);
  return u;
}

/** The usage of the command `args` start with (the backtest's alone), or of all. */
const usageOf = (args: string[]) => (args[0] === "backtest" ? `Usage: npm run keyward -- ${backtestUsage.trimStart()}` : usage);

async function run(args: string[]): Promise<void> {
  if (args[0] === "help" || args.some((a) => a === "--help" || a === "-h")) return void console.log(usageOf(args));
  if (args[0] === "backtest") return backtestCommand(args.slice(1)); // its own options
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean" }, scopes: { type: "string" }, expires: { type: "string" }, name: { type: "string" } },
  });
  const command = positionals.join(" ");
  const config = env();
  await prepareDatabase(config.databaseUrl);

  switch (command) {
    case "user create": {
      if (!values["password-stdin"]) throw new CliError("Pass the password on standard input with --password-stdin.");
      const input = { email: check(emailSchema, values.email, "--email"), role: check(roleSchema, values.role, "--role"), password: check(passwordSchema, await readStdin(), "password") };
      const u = await createUser(db(), input, actor);
      console.log(`Created ${u.email} (${u.role}).`);
      return;
    }
    case "user reset-password": {
      if (!values["password-stdin"]) throw new CliError("Pass the new password on standard input with --password-stdin.");
      const u = await findUser(values.email ?? "");
      const { tokensRevoked } = await setPassword(db(), u.id, check(passwordSchema, await readStdin(), "password"), actor);
      console.log(`Password of ${u.email} reset; their sessions were ended and ${tokensRevoked} API token(s) revoked.`);
      return;
    }
    case "user reset-2fa": {
      const u = await findUser(values.email ?? "");
      const { removed, sessionsEnded } = await resetSecondFactors(db(), u, { ...actor, ip: null });
      console.log(`Second factors of ${u.email} reset: ${removed} factor(s) and their recovery codes removed, ${sessionsEnded} session(s) ended. At their next sign-in they set up a new one if the policy requires it.`);
      return;
    }
    case "user list": {
      const users = await listUsers(db());
      if (!users.length) console.log("No users yet. Create the owner at /setup or with: npm run keyward -- user create …");
      for (const u of users) console.log(`${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}`);
      return;
    }
    case "token create": {
      const u = await findUser(values.email ?? "");
      const input = check(createTokenSchema, { name: values.name ?? "cli token", scopes: (values.scopes ?? "").split(",").filter(Boolean), expires: values.expires ?? "30d" }, "token");
      const { token } = await createApiToken(db(), u.id, { name: input.name, scopes: input.scopes, expiresInMs: input.expires }, actor);
      console.error(`Token for ${u.email} with scopes ${input.scopes.join(",")}. It is shown only now:`);
      console.log(token);
      return;
    }
    case "audit verify": {
      const r = await verifyAuditChain(db());
      if (r.ok) {
        console.log(`Audit chain intact: ${r.entries} entries.`);
        return;
      }
      console.error(`Audit chain BROKEN at entry #${r.brokenAt}: it ${r.reason}. ${r.entries} entries before it check out.`);
      process.exitCode = 3;
      return;
    }
    case "vault status": {
      await loadVault(db(), config.vaultKeyFile, (m) => console.error(m));
      for (const v of await db().vaultKey.findMany({ orderBy: { version: "asc" } })) {
        const n = await db().exchangeKey.count({ where: { vaultKeyVersion: v.version, status: { not: "revoked" } } });
        console.log(`v${v.version}\t${v.status}\t${n} stored key(s)`);
      }
      console.log(`key file: ${config.vaultKeyFile} (ok)`);
      return;
    }
    case "vault rotate": {
      const r = await rotateVault(db(), config.vaultKeyFile);
      await appendAudit(db(), { actor, action: "vault.rotate", detail: { ...r } });
      console.log(`Vault key v${r.newVersion} is primary; ${r.rewrapped} stored key(s) rewrapped; retired: ${r.retired.map((v) => `v${v}`).join(", ") || "none"}. Back up ${config.vaultKeyFile} again.`);
      return;
    }
    default:
      throw new CliError(usage);
  }
}

try {
  await run(process.argv.slice(2));
} catch (err) {
  if ((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    // node's own wording suggests quoting the option as a positional argument: say what is wrong, and what there is
    console.error(`${(err as Error).message.split(". ")[0]}.\n\n${usageOf(process.argv.slice(2))}`);
    process.exitCode = 2;
  } else if (err instanceof CliError || err instanceof EnvError || err instanceof VaultKeyError || err instanceof UserError || err instanceof BacktestUsageError || (err instanceof Error && ["CsvError"].includes(err.name))) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(`Failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
} finally {
  await db().$disconnect();
}
