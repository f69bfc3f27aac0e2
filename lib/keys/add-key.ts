/**
 * Adding an exchange key (SECURITY.md 21): verify and detect scopes, refuse a
 * withdraw-capable key unless the owner typed its label to accept the risk,
 * then seal every credential to the vault's public key and store only the
 * sealed blobs. The plaintext is not kept anywhere after this call.
 *
 * One exchange key is stored live once: `liveFingerprint` is unique in the
 * database (SECURITY.md 22 would be defeated by two copies of one key, each
 * with its own bot). A second add is a ConflictError naming the stored key.
 */
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { ConflictError, isUniqueViolation } from "../errors";
import type { KeyScopes } from "../exchange/scopes";
import { primaryPublicKey } from "../vault/public-key";
import { seal } from "../vault/seal";
import type { AddKeyInput } from "../validation/keys";
import { toKeyDTO, type KeyDTO } from "./dto";
import { maskKeyId } from "./mask";
import { verifyKey } from "./verify";

/** `refused`: the right that moves money the key has (withdraw first, when it has both). */
export type AddKeyResult = { ok: true; key: KeyDTO; warnings: string[] } | { ok: false; refused: "withdraw" | "transfer"; scopes: KeyScopes; message: string };

export const withdrawRiskMessage =
  "This key can WITHDRAW funds. If it leaks — from this server, a backup or a log — the thief can empty the account, and no setting in Keyward can stop that. Bots never need withdraw permission: create a new key with read and trade only. If you must use this key, type its label to accept the risk; it will carry a permanent red badge.";

export const transferRiskMessage =
  "This key can TRANSFER funds between wallets or sub-accounts (spot to futures or margin, or to another sub-account). Money moved that way is outside what a bot's risk limits watch, and whoever holds the key can move it to where another key drains it. Bots never need transfer permission: create a new key with read and trade only. If you must use this key, type its label to accept the risk; it will carry a permanent red badge.";

export function ipWarning(exchange: string): string {
  return `This key is not IP-restricted: anyone who obtains it can use it from anywhere. On ${exchange}, edit the key and restrict it to this server's public IP address.`;
}

export function fingerprintOf(exchange: string, apiKey: string): string {
  return createHash("sha256").update(`${exchange}\0${apiKey}`).digest("hex");
}

/** The live key stored under this fingerprint, as a ConflictError that names it and its bot. */
async function duplicateOf(db: Db, fingerprint: string): Promise<ConflictError | null> {
  const live = await db.exchangeKey.findUnique({ where: { liveFingerprint: fingerprint }, include: { bot: { select: { name: true } } } });
  if (!live) return null;
  const bound = live.bot ? `, used by bot "${live.bot.name}"` : "";
  return new ConflictError(`This exchange key is already stored as "${live.label}" (${live.maskedKeyId}${bound}). Each key is stored once: use that one, or revoke it first.`, { apiKey: ["Already stored."] });
}

/** `verified`: the key's scopes when the caller has just verified it (a rotation that must know its account first). */
export async function addKey(db: Db, input: AddKeyInput, actor: Actor, demoUrl: string | undefined, verified?: KeyScopes): Promise<AddKeyResult> {
  const fingerprint = fingerprintOf(input.exchange, input.apiKey);
  const duplicate = await duplicateOf(db, fingerprint);
  if (duplicate) throw duplicate;
  const pub = await primaryPublicKey(db); // before contacting the exchange: fail fast if the vault is not ready
  const scopes = verified ?? (await verifyKey(input.exchange, { apiKey: input.apiKey, secret: input.secret, password: input.password }, demoUrl, input.declared));
  const movesMoney = scopes.withdraw || scopes.transfer;
  const accepted = movesMoney && input.acceptWithdrawRisk === input.label;
  if (movesMoney && !accepted) return { ok: false, refused: scopes.withdraw ? "withdraw" : "transfer", scopes, message: scopes.withdraw ? withdrawRiskMessage : transferRiskMessage };

  const id = randomUUID();
  const sealed = (column: string, value: string | undefined) => (value ? new Uint8Array(seal(pub, value, { table: "ExchangeKey", column, rowId: id })) : null);
  const row = await db.exchangeKey.create({
    data: {
      id,
      label: input.label,
      exchange: input.exchange,
      maskedKeyId: maskKeyId(input.apiKey),
      fingerprint,
      liveFingerprint: fingerprint,
      apiKeySealed: sealed("apiKeySealed", input.apiKey),
      secretSealed: sealed("secretSealed", input.secret),
      passwordSealed: sealed("passwordSealed", input.password),
      vaultKeyVersion: pub.version,
      canRead: scopes.read,
      canTrade: scopes.trade,
      canWithdraw: scopes.withdraw,
      canTransfer: scopes.transfer,
      ipRestricted: scopes.ipRestricted,
      ipList: JSON.stringify(scopes.ipList),
      expiresAt: scopes.expiresAt,
      accountUid: scopes.accountUid,
      scopeSource: scopes.source,
      verifiedAt: new Date(),
      withdrawRiskAcceptedAt: accepted ? new Date() : null,
      withdrawRiskAcceptedBy: accepted ? actor.label : null,
      createdById: actor.id,
    },
    include: { bot: { select: { id: true, name: true } } },
  }).catch(async (err) => {
    // a concurrent add of the same key won the race
    throw isUniqueViolation(err) ? ((await duplicateOf(db, fingerprint)) ?? err) : err;
  });
  await appendAudit(db, { actor, action: "key.add", ip: actor.ip, target: { type: "key", id }, detail: { label: row.label, exchange: row.exchange, maskedKeyId: row.maskedKeyId, scopes: { read: scopes.read, trade: scopes.trade, withdraw: scopes.withdraw, transfer: scopes.transfer, ipRestricted: scopes.ipRestricted, source: scopes.source } } });
  if (accepted) await appendAudit(db, { actor, action: "key.withdraw-risk-accepted", ip: actor.ip, target: { type: "key", id }, detail: { label: row.label, withdraw: scopes.withdraw, transfer: scopes.transfer } });
  const warnings = [...(scopes.ipRestricted || scopes.unreported.includes("ipRestricted") ? [] : [ipWarning(input.exchange)]), ...scopes.notes];
  return { ok: true, key: toKeyDTO(row), warnings };
}
