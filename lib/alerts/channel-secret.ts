/**
 * WORKER ONLY (lint-enforced): opens a channel's sealed secret for one send.
 */
import "server-only";
import { openSealed, type Keyring } from "../vault/open";

export function channelSecretOpener(keyring: () => Keyring) {
  return (channelId: string, sealed: Uint8Array): string => openSealed(sealed, { table: "AlertChannel", column: "secretSealed", rowId: channelId }, keyring()).toString("utf8");
}
