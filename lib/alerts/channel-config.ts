/**
 * What a channel is made of: the form or API input (zod, strict), the
 * secret-free config stored with it, and the secret sealed apart.
 */
import { z } from "zod";
import { nameSchema, wholeNumber } from "../validation/common";
import { alertEventNames, defaultAlertEvents } from "./catalog";
import { checkTargetUrl, isLoopbackHost, refusedHost, type PrivateAddressPolicy } from "./safe-address";

export const channelTypes = ["webhook", "telegram", "email"] as const;
export type ChannelType = (typeof channelTypes)[number];
export const webhookFormats = ["keyward", "slack", "discord"] as const;

const secret = (what: string) => z.string().max(500, `The ${what} is too long (500 characters at most).`);
const events = z
  .array(z.enum(alertEventNames as [string, ...string[]], { error: `Events are: ${alertEventNames.join(", ")}.` }))
  .min(1, "Choose at least one event.")
  .default(defaultAlertEvents);
const email = z.email("Enter a valid email address.").max(200);

export const channelInputSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("webhook"), name: nameSchema("channel"), events, url: z.string().trim().max(2000), secret: secret("secret").optional(), format: z.enum(webhookFormats).default("keyward") }),
    z.object({
      type: z.literal("telegram"), name: nameSchema("channel"), events,
      botToken: secret("bot token").regex(/^\d{1,20}:[\w-]{20,100}$/, "A bot token looks like 123456:ABC-def… (from @BotFather)."),
      chatId: z.string().trim().regex(/^(-?\d{1,20}|@\w{5,64})$/, "A chat id is a number (e.g. -1001234567890) or @channelname."),
      apiBase: z.string().trim().max(500).default("https://api.telegram.org"),
    }),
    z.object({
      type: z.literal("email"), name: nameSchema("channel"), events,
      host: z.string().trim().min(1, "Enter the SMTP server's host name.").max(253), port: wholeNumber("The port", 1, 65535).default(587),
      security: z.enum(["starttls", "tls", "none"]).default("starttls"), user: z.string().max(200).optional(), password: secret("password").optional(),
      from: email, to: email,
    }),
  ],
  { error: "Choose webhook, telegram or email." },
);
export type ChannelInput = z.output<typeof channelInputSchema>;

export type ChannelConfig =
  | { url: string; format: (typeof webhookFormats)[number] }
  | { chatId: string; apiBase: string }
  | { host: string; port: number; security: "starttls" | "tls" | "none"; user?: string; from: string; to: string };

/** Splits input into stored config and the secret (if any); says what is wrong with an address, or with a secret that would travel unencrypted (and the field, when not the address). */
export function splitChannel(input: ChannelInput, policy: PrivateAddressPolicy): { config: ChannelConfig; secret: string | undefined; problem: string | null; field?: string } {
  switch (input.type) {
    case "webhook":
      return { config: { url: input.url, format: input.format }, secret: input.secret || undefined, problem: checkTargetUrl(input.url, policy) };
    case "telegram": {
      // the bot token is part of every request's path: in the clear over http:// anywhere but this machine
      const clear = /^http:/i.test(input.apiBase) && !isLoopbackHost(hostOf(input.apiBase)) ? "The bot token would cross the network unencrypted: use an https:// API address." : null;
      return { config: { chatId: input.chatId, apiBase: input.apiBase.replace(/\/+$/, "") }, secret: input.botToken, problem: checkTargetUrl(input.apiBase, policy) ?? clear };
    }
    case "email": {
      const why = refusedHost(input.host, policy);
      const clear = input.security === "none" && input.password && !isLoopbackHost(input.host) ? "The password would cross the network unencrypted: choose STARTTLS or TLS (no encryption is for a server on this machine, or one that takes no password)." : null;
      return { config: { host: input.host, port: input.port, security: input.security, user: input.user || undefined, from: input.from, to: input.to }, secret: input.password || undefined, problem: why ? `That SMTP host is not allowed: ${why}.` : clear, ...(clear && !why ? { field: "security" } : {}) };
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** Where a channel sends, for lists: never a secret — and a webhook URL only by its origin (Slack's and Discord's paths are credentials). */
export function describeTarget(type: string, config: Record<string, unknown>): string {
  if (type === "webhook") return `${new URL(String(config.url)).origin}/… (${String(config.format)})`;
  if (type === "telegram") return `chat ${String(config.chatId)}`;
  return `${String(config.to)} via ${String(config.host)}:${String(config.port)}`;
}
