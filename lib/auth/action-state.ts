/** What every server action returns to its form. Safe to import from client components (types only). */
export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** set when the user must re-enter the password first */
  needsReauth?: boolean;
  /** a value to show exactly once (a new API token) */
  reveal?: string;
  /** a serious risk to explain in red (e.g. a key that can withdraw) */
  danger?: string;
  /** things the user should know, shown in amber */
  warnings?: string[];
  /** follow-up steps, shown as a numbered list */
  steps?: string[];
  /** the second factor is needed too: which kinds this user can give */
  secondFactor?: { code: boolean; passkey: boolean };
  /** new recovery codes, shown once */
  recoveryCodes?: string[];
  /** an authenticator app being set up: its secret, URI and QR code (shown until confirmed) */
  totp?: { secret: string; uri: string; qr: string };
}
