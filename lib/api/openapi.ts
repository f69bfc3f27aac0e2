/** The OpenAPI 3.1 document for /api/v1, generated from the zod schemas the handlers use for input and output. */
import { z } from "zod";
import { addKeySchema, botSchema } from "../validation/keys";
import { version } from "../version";
import { botOut, errorBody, eventOut, orderOut, pageQuery, strategyOut, tradeOut, ordersQuery } from "./schemas";

const json = (s: z.ZodType, io: "input" | "output" = "output") => z.toJSONSchema(s, { io, target: "draft-2020-12", unrepresentable: "any" });
const content = (s: z.ZodType) => ({ "application/json": { schema: json(s) } });
const error = (description: string) => ({ description, content: content(errorBody) });
const errors = {
  "401": error("Missing or invalid token"),
  "403": error("The token lacks the scope"),
};
const notFound = { "404": error("No such bot or key") };
const invalid = { "422": error("Invalid input, or the exchange refused the key (the message says what to do)") };
const body = (s: z.ZodType) => ({ required: true, content: { "application/json": { schema: json(s, "input") } } });
const ok = (description: string, s?: z.ZodType) => ({ description, content: s ? content(s) : { "application/json": { schema: { type: "object" } } } });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const queryParams = (s: z.ZodObject) =>
  Object.entries((json(s, "input") as { properties: Record<string, { description?: string }> }).properties).map(([name, schema]) => ({ name, in: "query", required: false, schema, description: schema.description }));

const page = (key: string, item: z.ZodType) => z.object({ [key]: z.array(item), nextCursor: z.string().nullable().describe("pass as ?cursor= for the next (older) page; null on the last") });
const control = (what: string, extra: object[] = []) => ({
  post: { summary: what, parameters: [idParam, ...extra], responses: { "202": ok("Asked of the worker; the bot as it is now", z.object({ message: z.string(), bot: botOut })), ...errors, ...notFound, ...invalid } },
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Keyward API", version, description: "Bearer tokens from Settings → API tokens. Scopes: read, operate, admin. Cookies are ignored. Lists are newest first with cursor paging (`limit` up to 500, `cursor` = the previous page's `nextCursor`)." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/me": { get: { summary: "Who this token belongs to", responses: { "200": ok("User, role and scopes"), ...errors } } },
      "/api/v1/keys": {
        get: { summary: "List keys (read)", responses: { "200": ok("Keys; never credentials"), ...errors } },
        post: {
          summary: "Add a key (admin): verified with the exchange, scopes detected, sealed. A withdraw-capable key is refused unless acceptWithdrawRisk equals the label.",
          requestBody: body(addKeySchema),
          responses: { "201": ok("The stored key"), "409": error("This exchange key is already stored (the message names it and its bot)"), ...errors, ...invalid },
        },
      },
      "/api/v1/keys/{id}": {
        delete: { summary: "Revoke a key (admin); ?cancelOrders=true cancels its bot's open orders first", parameters: [idParam], responses: { "200": ok("Revocation report and the steps to delete it on the exchange"), ...errors, ...notFound } },
      },
      "/api/v1/keys/{id}/recheck": {
        post: { summary: "Re-read the key's permissions at the exchange (operate); done by the worker", parameters: [idParam], responses: { "200": ok("What changed", z.object({ result: z.string() })), "503": error("No worker answered"), ...errors, ...notFound } },
      },
      "/api/v1/strategies": { get: { summary: "The strategies and the JSON Schema of their parameters (read)", responses: { "200": ok("Strategies", z.object({ strategies: z.array(strategyOut) })), ...errors } } },
      "/api/v1/bots": {
        get: { summary: "List bots (read)", responses: { "200": ok("Bots", z.object({ bots: z.array(botOut) })), ...errors } },
        post: { summary: "Create a bot (admin); its key must be free", requestBody: body(botSchema), responses: { "201": ok("The bot", z.object({ bot: botOut })), "409": error("The key is used by another bot"), ...errors, ...invalid } },
      },
      "/api/v1/bots/{id}": {
        get: { summary: "A bot: status, statusMessage, workerId, position and PnL (read)", parameters: [idParam], responses: { "200": ok("The bot", z.object({ bot: botOut })), ...errors, ...notFound } },
        put: { summary: "Update a stopped bot (admin)", parameters: [idParam], requestBody: body(botSchema), responses: { "200": ok("The bot", z.object({ bot: botOut })), ...errors, ...notFound, ...invalid } },
        delete: { summary: "Delete a stopped bot (admin); history is kept", parameters: [idParam], responses: { "200": ok("Deleted"), ...errors, ...notFound, ...invalid } },
      },
      "/api/v1/bots/{id}/orders": { get: { summary: "The bot's orders, newest first (read)", parameters: [idParam, ...queryParams(ordersQuery)], responses: { "200": ok("A page of orders", page("orders", orderOut)), "400": error("A bad limit, cursor or status"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/trades": { get: { summary: "The bot's fills, newest first (read)", parameters: [idParam, ...queryParams(pageQuery)], responses: { "200": ok("A page of fills", page("trades", tradeOut)), "400": error("A bad limit or cursor"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/events": { get: { summary: "The bot's events, newest first (read)", parameters: [idParam, ...queryParams(pageQuery)], responses: { "200": ok("A page of events", page("events", eventOut)), "400": error("A bad limit or cursor"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/start": control("Start the bot (operate): the worker re-checks its key, reconciles with the exchange, then trades"),
      "/api/v1/bots/{id}/stop": control("Stop the bot (operate); its open orders are cancelled unless ?cancelOrders=false", [{ name: "cancelOrders", in: "query", required: false, schema: { type: "string", enum: ["true", "false"], default: "true" } }]),
      "/api/v1/bots/{id}/pause": control("Pause the bot (operate): nothing new is placed; open orders stay and are followed"),
      "/api/v1/bots/{id}/resume": control("Resume a paused bot (operate)"),
      "/api/v1/kill-switch": { post: { summary: "Kill switch (admin): every bot stops and every open order of every bot is cancelled", responses: { "202": ok("How many bots", z.object({ message: z.string(), bots: z.number().int() })), ...errors } } },
    },
  };
}
