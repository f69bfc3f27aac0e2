/** The OpenAPI 3.1 document for /api/v1, generated from the zod schemas the handlers use for input and output. */
import { z } from "zod";
import { channelInputSchema } from "../alerts/channel-config";
import { addKeySchema, botSchema } from "../validation/keys";
import { backtestInput } from "./backtests";
import { version } from "../version";
import { addKeyOut, backtestOut, backtestReportOut, balancesQuery, botOut, channelOut, deliveriesQuery, deliveryOut, replayOut, errorBody, eventOut, eventsQuery, accountBalancesOut, keyOut, meOut, messageOut, orderOut, ordersQuery, pageQuery, revokeOut, strategyOut, tradeOut, withdrawRefusedBody } from "./schemas";

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
const ok = (description: string, s: z.ZodType) => ({ description, content: content(s) });
const badQuery = (what: string) => ({ "400": error(what) });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const queryParams = (s: z.ZodObject) =>
  Object.entries((json(s, "input") as { properties: Record<string, { description?: string }> }).properties).map(([name, schema]) => ({ name, in: "query", required: false, schema, description: schema.description }));

const page = (key: string, item: z.ZodType) => z.object({ [key]: z.array(item), nextCursor: z.string().nullable().describe("pass as ?cursor= for the next (older) page; null on the last") });
const control = (what: string, extra: object[] = [], refusals: object = { "422": error("Not possible in the bot's state (the message says why)") }) => ({
  post: { summary: what, parameters: [idParam, ...extra], responses: { "202": ok("Asked of the worker; the bot as it is now", z.object({ message: z.string(), bot: botOut })), ...errors, ...notFound, ...refusals } },
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Keyward API", version, description: "Bearer tokens from Settings → API tokens. Scopes: read, operate, admin. Cookies are ignored. Lists are newest first with cursor paging (`limit` up to 500, `cursor` = the previous page's `nextCursor`)." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/me": { get: { summary: "Who this token belongs to", responses: { "200": ok("User, role and scopes", meOut), ...errors } } },
      "/api/v1/keys": {
        get: { summary: "List keys (read)", responses: { "200": ok("Keys; never credentials", z.object({ keys: z.array(keyOut) })), ...errors } },
        post: {
          summary: "Add a key (admin): verified with the exchange, scopes detected, sealed. A withdraw-capable key is refused unless acceptWithdrawRisk equals the label.",
          requestBody: body(addKeySchema),
          responses: {
            "201": ok("The stored key and what to watch out for", addKeyOut), "409": error("This exchange key is already stored (the message names it and its bot)"), ...errors,
            "422": { description: "Invalid input, the exchange refused the key, or the key can withdraw or transfer funds (withdraw_refused / transfer_refused, with the scopes it has)", content: { "application/json": { schema: { anyOf: [json(errorBody), json(withdrawRefusedBody)] } } } },
          },
        },
      },
      "/api/v1/keys/{id}": {
        delete: { summary: "Revoke a key (admin); ?cancelOrders=true cancels its bot's open orders first", parameters: [idParam, { name: "cancelOrders", in: "query", required: false, schema: { type: "string", enum: ["true", "false"], default: "false" } }], responses: { "200": ok("Revocation report and the steps to delete it on the exchange", revokeOut), ...badQuery("cancelOrders is neither true nor false"), ...errors, ...notFound } },
      },
      "/api/v1/keys/{id}/recheck": {
        post: { summary: "Re-read the key's permissions at the exchange (operate); done by the worker", parameters: [idParam], responses: { "200": ok("What changed", z.object({ result: z.string() })), "503": error("No worker answered"), ...errors, ...notFound } },
      },
      "/api/v1/strategies": { get: { summary: "The strategies and the JSON Schema of their parameters (read)", responses: { "200": ok("Strategies", z.object({ strategies: z.array(strategyOut) })), ...errors } } },
      "/api/v1/bots": {
        get: { summary: "List bots, newest first (read)", parameters: queryParams(pageQuery), responses: { "200": ok("A page of bots", page("bots", botOut)), ...badQuery("A bad limit or cursor"), ...errors } },
        post: { summary: "Create a bot (admin); its key must be free", requestBody: body(botSchema), responses: { "201": ok("The bot", z.object({ bot: botOut })), "409": error("The key is used by another bot"), ...errors, ...invalid } },
      },
      "/api/v1/bots/{id}": {
        get: { summary: "A bot: status, statusMessage, workerId, position and PnL (read)", parameters: [idParam], responses: { "200": ok("The bot", z.object({ bot: botOut })), ...errors, ...notFound } },
        put: { summary: "Update a stopped bot (admin)", parameters: [idParam], requestBody: body(botSchema), responses: { "200": ok("The bot", z.object({ bot: botOut })), ...errors, ...notFound, ...invalid } },
        delete: { summary: "Delete a stopped bot (admin); history is kept", parameters: [idParam], responses: { "200": ok("Deleted", z.object({ deleted: z.literal(true), name: z.string() })), ...errors, ...notFound, ...invalid } },
      },
      "/api/v1/bots/{id}/orders": { get: { summary: "The bot's orders, newest first (read)", parameters: [idParam, ...queryParams(ordersQuery)], responses: { "200": ok("A page of orders", page("orders", orderOut)), "400": error("A bad limit, cursor or status"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/trades": { get: { summary: "The bot's fills, newest first (read)", parameters: [idParam, ...queryParams(pageQuery)], responses: { "200": ok("A page of fills", page("trades", tradeOut)), "400": error("A bad limit or cursor"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/trades.csv": { get: { summary: "All the bot's fills as a CSV file, oldest first (read): time_utc, symbol, side, price, amount, quote_amount (price × amount), fee, fee_currency, mode (live or paper), exchange_trade_id, client_order_id; decimals as written, text a spreadsheet would take for a formula prefixed with '", parameters: [idParam], responses: { "200": { description: "The CSV file", content: { "text/csv": { schema: { type: "string" } } } }, ...errors, ...notFound } } },
      "/api/v1/bots/{id}/events": { get: { summary: "The bot's events, newest first (read)", parameters: [idParam, ...queryParams(pageQuery)], responses: { "200": ok("A page of events", page("events", eventOut)), "400": error("A bad limit or cursor"), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/balances": { get: { summary: "The bot's account at its latest balance snapshot (read): its key's, or its paper account", parameters: [idParam], responses: { "200": ok("The balances, or null before the bot first ran", z.object({ balances: accountBalancesOut.nullable() })), ...errors, ...notFound } } },
      "/api/v1/bots/{id}/replay": { get: { summary: "Replay (read): the bot's strategy re-run with its parameters and risk limits over the candles of the period it ran, its live fills beside the simulated ones, with slippage and fee differences summed", parameters: [idParam], responses: { "200": ok("The comparison", z.object({ replay: replayOut })), ...errors, ...notFound, "422": error("Nothing to replay yet (no order, no closed candle), or the candles could not be loaded (the message says which)") } } },
      "/api/v1/backtests": {
        get: { summary: "Backtests, newest first (read)", parameters: queryParams(pageQuery), responses: { "200": ok("A page of backtests", page("backtests", backtestOut)), ...badQuery("A bad limit or cursor"), ...errors } },
        post: { summary: "Queue a backtest (operate): the Backtests form's fields, the strategy's parameters as an object, CSV candles as text (source csv) or an exchange's history (source exchange, days). A worker runs it; poll GET /api/v1/backtests/{id}.", requestBody: body(backtestInput), responses: { "202": ok("Queued", z.object({ backtest: backtestOut })), ...errors, "422": error("Invalid input: the message names the field (a CSV's bad line, candles of another timeframe, a sweep's invalid combination…)") } },
      },
      "/api/v1/backtests/{id}": { get: { summary: "A backtest with its whole report once done (read)", parameters: [idParam], responses: { "200": ok("The backtest", z.object({ backtest: backtestReportOut })), ...errors, "404": error("No such backtest") } } },
      "/api/v1/orders/{id}/cancel": {
        post: { summary: "Cancel one open order (operate): its bot's worker cancels it at the exchange on the bot's next tick. The bot must be running or paused.", parameters: [idParam], responses: { "202": ok("Asked of the worker", messageOut), ...errors, "404": error("No such order"), "422": error("The order is not open, or no worker runs its bot (the message says what to do)") } },
      },
      "/api/v1/balances": { get: { summary: "Each live bot's key at its latest balance snapshot, or with ?paper=true each paper bot's account (read)", parameters: queryParams(balancesQuery), responses: { "200": ok("Balances per account", z.object({ accounts: z.array(accountBalancesOut) })), ...badQuery("A bad paper value"), ...errors } } },
      "/api/v1/events": { get: { summary: "Events of every bot, newest first (read)", parameters: queryParams(eventsQuery), responses: { "200": ok("A page of events", page("events", eventOut)), ...badQuery("A bad limit, cursor or type"), ...errors } } },
      "/api/v1/stream": {
        get: {
          summary: "Live events as Server-Sent Events (read): `id:` is the event id, `event:` its type (order, trade, bot, balance, key, risk, lease), `data:` the event as in /api/v1/events (a trade's data carries the exchange's fill `timestamp`, ms). Send `Last-Event-ID` (or `?lastEventId=`) to resume right after that id, without gaps or repeats. A comment line every 15 s keeps the connection open; the stream ends with `event: end` when the token stops being valid.",
          parameters: [
            { name: "types", in: "query", required: false, schema: { type: "string" }, description: "comma-separated event types" },
            { name: "bot", in: "query", required: false, schema: { type: "string" }, description: "only this bot's events" },
            { name: "lastEventId", in: "query", required: false, schema: { type: "string", pattern: "^\\d+$" }, description: "resume after this id (the Last-Event-ID header wins)" },
            { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string", pattern: "^\\d+$" } },
          ],
          responses: { "200": { description: "The event stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...badQuery("A bad type, bot id or Last-Event-ID"), ...errors },
        },
      },
      "/api/v1/bots/{id}/start": control("Start the bot (operate): the worker re-checks its key, reconciles with the exchange, then trades"),
      "/api/v1/bots/{id}/stop": control("Stop the bot (operate); its open orders are cancelled unless ?cancelOrders=false", [{ name: "cancelOrders", in: "query", required: false, schema: { type: "string", enum: ["true", "false"], default: "true" } }], badQuery("cancelOrders is neither true nor false")),
      "/api/v1/bots/{id}/pause": control("Pause the bot (operate): nothing new is placed; open orders stay and are followed"),
      "/api/v1/bots/{id}/resume": control("Resume a paused bot (operate)"),
      "/api/v1/openapi.json": { get: { summary: "This document (read)", responses: { "200": ok("OpenAPI 3.1", z.object({ openapi: z.string() }).loose()), ...errors } } },
      "/api/v1/notifications/channels": {
        get: { summary: "Alert channels (admin); never their secrets", responses: { "200": ok("Channels", z.object({ channels: z.array(channelOut) })), ...errors } },
        post: {
          summary: "Add an alert channel (admin): webhook {url, secret?, format: keyward|slack|discord}, telegram {botToken, chatId, apiBase?} or email {host, port, security, user?, password?, from, to}; events default to all but order.filled. Secrets are sealed in the vault at once.",
          requestBody: body(channelInputSchema), responses: { "201": ok("The channel", z.object({ channel: channelOut })), ...errors, "422": error("Invalid input, or an address that is not allowed (the message says which and why)") },
        },
      },
      "/api/v1/notifications/channels/{id}": { delete: { summary: "Delete an alert channel (admin): its secret is destroyed, its pending alerts canceled; the delivery log stays", parameters: [idParam], responses: { "200": ok("Deleted", z.object({ deleted: z.literal(true) })), ...errors, "404": error("No such channel") } } },
      "/api/v1/notifications/channels/{id}/test": { post: { summary: "Send a test alert through the channel (admin); see the delivery log for the outcome", parameters: [idParam], responses: { "202": ok("Queued", z.object({ queued: z.literal(true) })), ...errors, "404": error("No such channel") } } },
      "/api/v1/notifications/channels/{id}/deliveries": {
        get: { summary: "The channel's delivery log, newest first (admin): event, status, attempts, last error", parameters: [idParam, ...queryParams(deliveriesQuery)], responses: { "200": ok("Deliveries", z.object({ deliveries: z.array(deliveryOut) })), ...badQuery("A bad limit or before"), ...errors, "404": error("No such channel") } },
      },
      "/api/v1/kill-switch": { post: { summary: "Kill switch (admin): every bot stops and every open order of every bot is cancelled", responses: { "202": ok("How many bots", z.object({ message: z.string(), bots: z.number().int() })), ...errors } } },
    },
  };
}
