/**
 * Sending one message through one channel. `secret` is the channel's opened
 * secret (the worker passes it; the web's fallback sender has none). Any
 * failure throws an Error whose message is safe to store and show: the
 * secret is cut out of it, whatever the library said.
 */
import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import type { ChannelConfig } from "./channel-config";
import { postJson } from "./http-post";
import { messageText, type Message } from "./message";
import { resolveChecked, type PrivateAddressPolicy } from "./safe-address";

export interface Channel {
  type: string;
  config: ChannelConfig;
}

export async function sendMessage(channel: Channel, m: Message, secret: string | undefined, policy: PrivateAddressPolicy): Promise<void> {
  try {
    if (channel.type === "webhook") return await sendWebhook(channel.config as Extract<ChannelConfig, { url: string }>, m, secret, policy);
    if (channel.type === "telegram") return await sendTelegram(channel.config as Extract<ChannelConfig, { chatId: string }>, m, secret, policy);
    if (channel.type === "email") return await sendEmail(channel.config as Extract<ChannelConfig, { host: string }>, m, secret, policy);
    throw new Error(`Unknown channel type ${channel.type}.`);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    throw new Error(secret ? text.split(secret).join("[secret]") : text);
  }
}

/** X-Keyward-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret> */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function sendWebhook(config: { url: string; format: string }, m: Message, secret: string | undefined, policy: PrivateAddressPolicy): Promise<void> {
  const text = messageText(m);
  const payload =
    config.format === "slack" ? { text } : config.format === "discord" ? { content: text.slice(0, 2000) } : { event: m.event, time: m.time, severity: m.severity, subject: m.subject, message: m.message, link: m.link, count: m.count };
  const body = JSON.stringify(payload);
  const res = await postJson(config.url, body, secret ? { "x-keyward-signature": signature(body, secret) } : {}, policy);
  if (res.status < 200 || res.status > 299) throw new Error(`The webhook answered ${res.status}.`);
}

/** Bot API sendMessage: POST {apiBase}/bot<token>/sendMessage; answer {ok: true, result} or {ok: false, error_code, description}. */
async function sendTelegram(config: { chatId: string; apiBase: string }, m: Message, token: string | undefined, policy: PrivateAddressPolicy): Promise<void> {
  if (!token) throw new Error("This channel's bot token can be opened only by a worker.");
  const body = JSON.stringify({ chat_id: config.chatId, text: messageText(m).slice(0, 4096), link_preview_options: { is_disabled: true } });
  const res = await postJson(`${config.apiBase}/bot${token}/sendMessage`, body, {}, policy);
  let answer: { ok?: boolean; description?: string } = {};
  try {
    answer = JSON.parse(res.body) as typeof answer;
  } catch {
    // not JSON: judged by the status alone
  }
  if (res.status !== 200 || answer.ok !== true) throw new Error(`Telegram answered ${res.status}${answer.description ? `: ${String(answer.description).slice(0, 200)}` : ""}.`);
}

async function sendEmail(config: { host: string; port: number; security: string; user?: string; from: string; to: string }, m: Message, password: string | undefined, policy: PrivateAddressPolicy): Promise<void> {
  await resolveChecked(config.host, policy); // the SMTP library resolves it again itself: not pinned like webhooks
  const transport = nodemailer.createTransport({
    host: config.host, port: config.port, secure: config.security === "tls", requireTLS: config.security === "starttls", ignoreTLS: config.security === "none",
    auth: config.user ? { user: config.user, pass: password ?? "" } : undefined,
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000,
  });
  try {
    await transport.sendMail({ from: config.from, to: config.to, subject: `[Keyward] ${m.title}`.slice(0, 200), text: messageText(m) });
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    throw new Error(e.responseCode ? `The SMTP server answered ${e.responseCode}.` : `Email not sent (${e.code ?? "error"}).`);
  } finally {
    transport.close();
  }
}
