/** Random bearer secrets (sessions, API tokens): 256 bits, only a SHA-256 stored. */
import { createHash, randomBytes } from "node:crypto";

export function newToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
