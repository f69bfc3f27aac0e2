/** Shapes passed between the two-factor client components and their server actions (types only). */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";

export type PasskeyOptionsResult = { options: PublicKeyCredentialRequestOptionsJSON; challengeId: string } | { error: string };
export type PasskeyRegistrationOptionsResult = { options: PublicKeyCredentialCreationOptionsJSON; challengeId: string } | { error: string };
