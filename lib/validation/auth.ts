/** zod schemas shared by forms, actions, the CLI and the API. */
import { z } from "zod";
import { roles, tokenScopes } from "../auth/roles";
import { nameSchema } from "./common";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.").max(200, "Use at most 200 characters."));
export const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.");
export const roleSchema = z.enum(roles, { error: "Choose owner, operator or viewer." });

export const setupSchema = z
  .object({ email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const loginSchema = z.object({ email: z.string().max(200), password: z.string().max(256) });

export const changePasswordSchema = z
  .object({ current: z.string().max(256), password: passwordSchema, confirm: z.string(), keepTokens: z.literal("on").optional() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const createUserSchema = z.object({ email: emailSchema, role: roleSchema, password: passwordSchema });

export const scopeSchema = z.enum(Object.keys(tokenScopes) as [keyof typeof tokenScopes, ...(keyof typeof tokenScopes)[]], { error: "Scopes are read, operate and admin." });

/** Tokens always expire (issue 13): at most a year. */
export const maxTokenLifetimeMs = 365 * 86_400_000;

/** "30d", "12h" or "90m", at most 365d. */
export const expirySchema = z
  .string()
  .trim()
  .regex(/^\d{1,6}[dhm]$/, "Use a duration like 30d, 12h or 90m (at most 365d); tokens always expire.")
  .transform((v) => Number(v.slice(0, -1)) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[v.slice(-1) as "d" | "h" | "m"])
  .refine((ms) => ms > 0 && ms <= maxTokenLifetimeMs, "A token lives at least a minute and at most 365 days.");

export const createTokenSchema = z.object({
  name: nameSchema("token", 100),
  // a single checked checkbox arrives as a string
  scopes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(scopeSchema).min(1, "Choose at least one scope.")),
  expires: expirySchema,
});
