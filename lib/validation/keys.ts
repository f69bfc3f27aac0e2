/** Key and bot input, shared by the forms, server actions and /api/v1. */
import { z } from "zod";
import { strategyIds } from "../strategies/registry";
import { nameSchema, optionalField, positiveDecimal, wholeNumber } from "./common";

export const labelSchema = nameSchema("key");
const credential = (what: string, max = 512) => z.string().trim().min(1, `Enter the ${what}.`).max(max, `That is too long for a ${what}.`);

export const addKeySchema = z.object({
  exchange: z.string().trim().min(1, "Choose an exchange.").max(40),
  label: labelSchema,
  apiKey: credential("API key"),
  // PEM secrets (coinbase) are multi-line; keep their newlines
  secret: z.string().min(1, "Enter the API secret.").max(4096, "That is too long for a secret."),
  password: z.string().max(512).optional().transform((v) => (v ? v : undefined)),
  acceptWithdrawRisk: z.string().max(60).optional().transform((v) => (v ? v : undefined)),
  /** for exchanges that cannot report a key's permissions: what the user says the key may do */
  declared: z
    .object({ read: z.boolean(), trade: z.boolean(), withdraw: z.boolean(), ipRestricted: z.boolean() })
    .optional(),
});
export type AddKeyInput = z.output<typeof addKeySchema>;

/** The add-key form, optionally rotating a bot's key. */
export const addKeyFormSchema = z.preprocess(
  (raw) => {
    // checkboxes declaredRead/… (sent only for exchanges that cannot report scopes) become `declared`; zod drops the rest
    const o = raw as Record<string, unknown>;
    if (o.declare !== "on") return o;
    const on = (k: string) => o[k] === "on";
    return { ...o, declared: { read: on("declaredRead"), trade: on("declaredTrade"), withdraw: on("declaredWithdraw"), ipRestricted: on("declaredIpRestricted") } };
  },
  addKeySchema.extend({ rotateBotId: z.string().max(64).optional().transform((v) => (v ? v : undefined)) }),
);

export const demoKeySchema = z.object({
  label: labelSchema,
  read: z.literal("on").optional(),
  trade: z.literal("on").optional(),
  withdraw: z.literal("on").optional(),
  transfer: z.literal("on").optional(),
  ipRestrict: z.literal("on").optional(),
  acceptWithdrawRisk: z.string().max(60).optional(),
});

export const revokeKeySchema = z.object({ id: z.string().min(1).max(64), cancelOrders: z.enum(["on", "true", "false"]).optional() });

export const botSchema = z.object({
  name: nameSchema("bot"),
  keyId: z.string().min(1, "Choose a key.").max(64),
  symbol: z.string().trim().regex(/^[A-Z0-9]{1,12}\/[A-Z0-9]{1,12}$/, "Use a symbol like BTC/USDT."),
  strategy: z.enum(strategyIds, { error: `Choose a strategy: ${strategyIds.join(", ")}.` }),
  params: z.record(z.string(), z.unknown()).default({}),
  mode: z.enum(["paper", "live"]).default("paper"),
  tickSeconds: wholeNumber("Tick", 1, 3600).default(5),
  maxOrderNotional: positiveDecimal("Max order notional"),
  maxDailyLoss: positiveDecimal("Max daily loss"),
  maxOpenOrders: wholeNumber("Max open orders", 1, 100),
  maxPosition: optionalField(positiveDecimal("Max position")),
  paperStartQuote: positiveDecimal("Paper balance").default("10000"),
});
export type BotInput = z.output<typeof botSchema>;
