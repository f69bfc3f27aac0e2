/** zod schemas shared by forms, actions, the CLI and the API. */
import { z } from "zod";
import { roles, tokenScopes } from "../auth/roles";

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
  .object({ current: z.string().max(256), password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const createUserSchema = z.object({ email: emailSchema, role: roleSchema, password: passwordSchema });

export const scopeSchema = z.enum(Object.keys(tokenScopes) as [keyof typeof tokenScopes, ...(keyof typeof tokenScopes)[]], { error: "Scopes are read, operate and admin." });

/** "30d", "12h", "90m" or "never". */
export const expirySchema = z
  .string()
  .trim()
  .regex(/^(never|\d{1,4}[dhm])$/, "Use a duration like 30d, 12h or 90m, or never.")
  .transform((v) => {
    if (v === "never") return null;
    const n = Number(v.slice(0, -1));
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[v.slice(-1) as "d" | "h" | "m"];
    return n * unit;
  });

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100),
  // a single checked checkbox arrives as a string
  scopes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(scopeSchema).min(1, "Choose at least one scope.")),
  expires: expirySchema,
});
