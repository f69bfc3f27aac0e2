/**
 * /api/v1 keys and bots: the same validation, services and roles as the UI.
 * Keys and bot changes need the admin scope (owner); reads need read.
 */
import "server-only";
import type { z } from "zod";
import type { TokenPrincipal } from "../auth/api-tokens";
import { clientIp } from "../auth/client-ip";
import type { Actor } from "../auth/users";
import { botsPage } from "../bot-settings/history";
import { cachedBotList } from "../bot-settings/list-cache";
import { createBot, deleteBot, updateBot } from "../bot-settings/save-bot";
import { db } from "../db/client";
import { ConflictError, NotFoundError, ServiceError } from "../errors";
import { env } from "../env";
import { addKey } from "../keys/add-key";
import { toKeyDTO } from "../keys/dto";
import { revokeKey } from "../keys/revoke-key";
import { KeyVerificationError } from "../keys/verify";
import { VaultNotReadyError } from "../vault/public-key";
import { addKeySchema, botSchema } from "../validation/keys";
import { ApiError, requireToken } from "./auth";
import { pageQuery } from "./schemas";

export function actorOf(p: TokenPrincipal, req: Request): Actor {
  return { id: p.user.id, label: `${p.user.email} (API token)`, ip: clientIp(req.headers) };
}

export async function json(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ApiError(400, "bad_json", "The body must be JSON.");
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** For a field a schema gives no message of its own: a missing one is "required", not zod's "expected string, received undefined". */
const apiErrors: z.core.$ZodErrorMap = (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "required (see /api/v1/openapi.json)" : undefined);

/** "a: what is wrong; b: …": a field's message before a semicolon without its own full stop ("a: Wrong.; b: …" otherwise). */
const fieldList = (items: [string, string][]) => items.map(([field, message], i) => `${field}: ${i < items.length - 1 ? message.replace(/\.$/, "") : message}`).join("; ");

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body, { error: apiErrors });
  if (!r.success) throw new ApiError(422, "invalid", fieldList(r.error.issues.map((i) => [i.path.join(".") || "body", i.message])));
  // zod drops a field it does not know (the output keeps every field it does): a misspelt one, say
  // maxPositon, would leave its risk limit unset without a word
  const unknown = unknownFields(body, r.data);
  if (unknown.length) throw new ApiError(422, "invalid", fieldList(unknown.map((k) => [k, "not a field of this request (see /api/v1/openapi.json)"])));
  return r.data;
}

/** The fields of `input`, nested ones as a.b, that parsing dropped (a record, like a strategy's params, keeps all of its own). */
function unknownFields(input: unknown, output: unknown, prefix = ""): string[] {
  if (!isRecord(input) || !isRecord(output)) return [];
  return Object.keys(input).flatMap((k) => (k in output ? unknownFields(input[k], output[k], `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** The query string through a zod schema; a mismatch, or a name the endpoint does not take (a misspelt filter would answer unfiltered), is a 400 saying what is wrong. */
export function query<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const input = Object.fromEntries(new URL(req.url).searchParams);
  const r = schema.safeParse(input);
  if (!r.success) throw new ApiError(400, "bad_query", fieldList(r.error.issues.map((i) => [i.path.join("."), i.message])));
  const unknown = unknownFields(input, r.data);
  if (unknown.length) throw new ApiError(400, "bad_query", fieldList(unknown.map((k) => [k, "not a query parameter of this endpoint (see /api/v1/openapi.json)"])));
  return r.data;
}

/** A true/false query flag (absent: undefined); anything else is a 400, so a destructive call never goes ahead on a misread flag. */
export function flagQuery(req: Request, name: string): boolean | undefined {
  const v = new URL(req.url).searchParams.get(name);
  if (v === null) return undefined;
  if (v !== "true" && v !== "false") throw new ApiError(400, "bad_query", `${name} must be true or false.`);
  return v === "true";
}

/** Expected service failures by class: 404, 409, 422 (503 while the vault is not ready). */
export function mapError(err: unknown): never {
  if (err instanceof KeyVerificationError) throw new ApiError(422, "key_rejected", err.message);
  if (err instanceof VaultNotReadyError) throw new ApiError(503, "vault_not_ready", err.message);
  if (err instanceof ServiceError) {
    const [status, code] = err instanceof NotFoundError ? [404, "not_found"] : err instanceof ConflictError ? [409, "conflict"] : [422, "invalid"];
    // the field errors the message does not already say
    const details = Object.entries(err.fieldErrors ?? {}).filter(([, v]) => !v.every((m) => err.message.includes(m))).map(([k, v]): [string, string] => [k, v.join(" ")]);
    throw new ApiError(status, code, details.length && status === 422 ? `${err.message} (${fieldList(details)})` : err.message);
  }
  throw err;
}

export async function listKeysApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const rows = await db().exchangeKey.findMany({ orderBy: { createdAt: "desc" }, include: { bot: { select: { id: true, name: true } } } });
  return Response.json({ keys: rows.map(toKeyDTO) });
}

export async function addKeyApi(req: Request): Promise<Response> {
  const p = await requireToken(req, "admin");
  const input = parse(addKeySchema, await json(req));
  const result = await addKey(db(), input, actorOf(p, req), env().demoExchangeUrl).catch(mapError);
  if (!result.ok) return Response.json({ error: { code: `${result.refused}_refused`, message: result.message }, scopes: { ...result.scopes } }, { status: 422 });
  return Response.json({ key: result.key, warnings: result.warnings }, { status: 201 });
}

export async function revokeKeyApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "admin");
  const cancelOrders = flagQuery(req, "cancelOrders") ?? false;
  const r = await revokeKey(db(), id, { cancelOrders }, actorOf(p, req)).catch(mapError);
  return Response.json({ revoked: true, ...r });
}

export async function listBotsApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const q = query(req, pageQuery);
  const body = await cachedBotList(db(), `${q.limit ?? ""}|${q.cursor ?? ""}`, async () => {
    const page = await botsPage(db(), q).catch((err) => {
      if (err instanceof ServiceError) throw new ApiError(400, "bad_query", err.message);
      throw err;
    });
    return JSON.stringify({ bots: page.items, nextCursor: page.nextCursor });
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

export async function createBotApi(req: Request): Promise<Response> {
  const p = await requireToken(req, "admin");
  const input = parse(botSchema, await json(req));
  const bot = await createBot(db(), input, input.params, actorOf(p, req), env().demoExchangeUrl).catch(mapError);
  return Response.json({ bot }, { status: 201 });
}

/** An unknown id answers 404 before its body is judged. */
async function assertBotExists(id: string): Promise<void> {
  if (!(await db().bot.findFirst({ where: { id, deletedAt: null }, select: { id: true } }))) throw new ApiError(404, "not_found", "That bot does not exist.");
}

export async function updateBotApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "admin");
  await assertBotExists(id);
  const input = parse(botSchema, await json(req));
  const bot = await updateBot(db(), id, input, input.params, actorOf(p, req), env().demoExchangeUrl).catch(mapError);
  return Response.json({ bot });
}

export async function deleteBotApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "admin");
  const name = await deleteBot(db(), id, actorOf(p, req)).catch(mapError);
  return Response.json({ deleted: true, name });
}
