/**
 * Passkeys (WebAuthn) as a second factor, through @simplewebauthn/server.
 * Relying party id and origin come from KEYWARD_PUBLIC_URL (default
 * http://localhost:<PORT>): a browser on another address cannot use them.
 * Challenges are stored server-side and used once; signature counters are
 * checked by the library and stored; user verification is preferred.
 */
import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Db } from "../../db/client";
import { env } from "../../env";

const challengeTtlMs = 5 * 60_000;

export function relyingParty(): { id: string; origin: string } {
  const url = new URL(env().KEYWARD_PUBLIC_URL ?? `http://localhost:${env().PORT}`);
  return { id: url.hostname, origin: url.origin };
}

async function storeChallenge(db: Db, userId: string, kind: "register" | "authenticate", challenge: string): Promise<string> {
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  const row = await db.webAuthnChallenge.create({ data: { userId, kind, challenge, expiresAt: new Date(Date.now() + challengeTtlMs) } });
  return row.id;
}

/** Takes a stored challenge once; null when unknown, someone else's, of another kind, or expired. */
async function takeChallenge(db: Db, id: string, userId: string, kind: "register" | "authenticate"): Promise<string | null> {
  const row = await db.webAuthnChallenge.findUnique({ where: { id } });
  if (!row || row.userId !== userId || row.kind !== kind) return null;
  const taken = await db.webAuthnChallenge.deleteMany({ where: { id } });
  return taken.count === 1 && row.expiresAt > new Date() ? row.challenge : null;
}

function transportsOf(s: string): AuthenticatorTransportFuture[] {
  return s ? (s.split(",") as AuthenticatorTransportFuture[]) : [];
}

export async function registrationOptions(db: Db, user: { id: string; email: string }): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; challengeId: string }> {
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  const rp = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: "Keyward",
    rpID: rp.id,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "discouraged", userVerification: "preferred" },
  });
  return { options, challengeId: await storeChallenge(db, user.id, "register", options.challenge) };
}

/** Verifies a registration and stores the passkey; null when it does not verify. */
export async function registerPasskey(db: Db, userId: string, name: string, challengeId: string, response: RegistrationResponseJSON): Promise<{ id: string } | null> {
  const challenge = await takeChallenge(db, challengeId, userId, "register");
  if (!challenge) return null;
  const rp = relyingParty();
  const result = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false }).catch(() => null);
  if (!result?.verified) return null;
  const c = result.registrationInfo.credential;
  return db.passkey.create({
    data: { userId, name, credentialId: c.id, publicKey: Buffer.from(c.publicKey), counter: BigInt(c.counter), transports: (c.transports ?? []).join(",") },
    select: { id: true },
  });
}

export async function authenticationOptions(db: Db, userId: string): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; challengeId: string } | null> {
  const passkeys = await db.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
  if (!passkeys.length) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    userVerification: "preferred",
  });
  return { options, challengeId: await storeChallenge(db, userId, "authenticate", options.challenge) };
}

/** Verifies an assertion by one of the user's passkeys; moves its counter forward (compare-and-swap). */
export async function acceptPasskey(db: Db, userId: string, challengeId: string, response: AuthenticationResponseJSON, now: Date): Promise<boolean> {
  const challenge = await takeChallenge(db, challengeId, userId, "authenticate");
  if (!challenge) return false;
  const passkey = await db.passkey.findFirst({ where: { userId, credentialId: response.id } });
  if (!passkey) return false;
  const rp = relyingParty();
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
    credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: transportsOf(passkey.transports) },
  }).catch(() => null); // a counter that went backwards (a cloned authenticator) throws: refused like any bad assertion
  if (!result?.verified) return false;
  const moved = await db.passkey.updateMany({ where: { id: passkey.id, counter: passkey.counter }, data: { counter: BigInt(result.authenticationInfo.newCounter), lastUsedAt: now } });
  return moved.count === 1;
}
