/**
 * One message from one or more alerts of one kind (a batch, or a digest),
 * in the shapes the channels send: Keyward's JSON for webhooks, one text for
 * Slack, Discord, Telegram and email. Alerts carry no secret by construction
 * (bot event messages, labels, masked key ids); nothing else is added here.
 */
import type { AlertRow } from "./outbox";

export interface Message {
  event: string;
  time: string;
  severity: string;
  subject: { type: string; id: string | null; label: string };
  message: string;
  link: string | null;
  /** how many alerts this message carries */
  count: number;
  /** one line: the email subject, the first line of chat messages */
  title: string;
}

const order = ["info", "warning", "critical"];
const shownLines = 20;

export function composeMessage(alerts: AlertRow[], digest: boolean, baseUrl: string | undefined): Message {
  const first = alerts[0]!;
  const severity = alerts.map((a) => a.severity).reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a));
  const absolute = (link: string | null) => (link && baseUrl ? new URL(link, baseUrl).toString() : link);
  if (alerts.length === 1 && !digest) {
    return {
      event: first.event, time: first.occurredAt.toISOString(), severity,
      subject: { type: first.subjectType, id: first.subjectId, label: first.subjectLabel },
      message: first.message, link: absolute(first.link), count: 1,
      title: `${first.event === "test" ? "Test alert" : first.event}: ${first.subjectLabel}`,
    };
  }
  const last = alerts[alerts.length - 1]!;
  const lines = alerts.slice(0, shownLines).map((a) => `• ${a.occurredAt.toISOString().slice(11, 19)} ${withSubject(a.subjectLabel, a.message)}`);
  if (alerts.length > shownLines) lines.push(`… and ${alerts.length - shownLines} more.`);
  const head = digest ? `Digest: ${alerts.length} ${first.event} alerts (more than 10 of this kind in 10 minutes; sent together).` : `${alerts.length} ${first.event} alerts.`;
  const subjects = new Set(alerts.map((a) => `${a.subjectType}:${a.subjectId}`));
  return {
    event: first.event, time: last.occurredAt.toISOString(), severity,
    subject: subjects.size === 1 ? { type: first.subjectType, id: first.subjectId, label: first.subjectLabel } : { type: "several", id: null, label: `${subjects.size} subjects` },
    message: `${head}\n${lines.join("\n")}`, link: absolute(subjects.size === 1 ? first.link : "/"), count: alerts.length,
    title: digest ? `Digest: ${alerts.length} × ${first.event}` : `${alerts.length} × ${first.event}`,
  };
}

/** "subject: message", unless the message already begins with the subject (a bot's events name the bot: "grid-1: stopped"). */
export function withSubject(label: string, message: string): string {
  return message.startsWith(`${label}: `) ? message : `${label}: ${message}`;
}

/** The text chat and email channels send. */
export function messageText(m: Message): string {
  return `[${m.severity.toUpperCase()}] ${m.title}\n${m.message}${m.link ? `\n${m.link}` : ""}`;
}
