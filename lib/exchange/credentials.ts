/**
 * WORKER ONLY (lint-enforced): a key's credentials, opened from the vault for
 * one exchange call and not kept anywhere else.
 */
import "server-only";
import type { Db } from "../db/client";
import { openSealed, type Keyring } from "../vault/open";
import type { Credentials } from "./ccxt-factory";

export async function loadCredentials(db: Db, keyring: Keyring, keyId: string): Promise<{ exchange: string; credentials: Credentials }> {
  const row = await db.exchangeKey.findUniqueOrThrow({ where: { id: keyId }, omit: { apiKeySealed: false, secretSealed: false, passwordSealed: false } });
  if (row.status === "revoked" || !row.apiKeySealed || !row.secretSealed) throw new Error("This key is revoked; its credentials are gone.");
  const open = (column: "apiKeySealed" | "secretSealed" | "passwordSealed", blob: Uint8Array) => openSealed(blob, { table: "ExchangeKey", column, rowId: row.id }, keyring).toString("utf8");
  return {
    exchange: row.exchange,
    credentials: {
      apiKey: open("apiKeySealed", row.apiKeySealed),
      secret: open("secretSealed", row.secretSealed),
      password: row.passwordSealed ? open("passwordSealed", row.passwordSealed) : undefined,
    },
  };
}
