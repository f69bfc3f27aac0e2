/** The OpenAPI 3.1 document for /api/v1, generated from the zod schemas the handlers use. */
import { z } from "zod";
import { addKeySchema, botSchema } from "../validation/keys";
import { version } from "../version";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", target: "draft-2020-12" });
const error = { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } } };
const errors = {
  "401": { description: "Missing or invalid token", content: { "application/json": { schema: error } } },
  "403": { description: "The token lacks the scope", content: { "application/json": { schema: error } } },
  "422": { description: "Invalid input, or the exchange refused the key (message says what to do)", content: { "application/json": { schema: error } } },
};
const body = (s: z.ZodType) => ({ required: true, content: { "application/json": { schema: schema(s) } } });
const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const idParam = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Keyward API", version, description: "Bearer tokens from Settings → API tokens. Scopes: read, operate, admin. Cookies are ignored." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/me": { get: { summary: "Who this token belongs to", responses: { "200": ok("User, role and scopes"), ...errors } } },
      "/api/v1/keys": {
        get: { summary: "List keys (read)", responses: { "200": ok("Keys; never credentials"), ...errors } },
        post: {
          summary: "Add a key (admin): verified with the exchange, scopes detected, sealed. A withdraw-capable key is refused unless acceptWithdrawRisk equals the label.",
          requestBody: body(addKeySchema),
          responses: { "201": ok("The stored key"), ...errors },
        },
      },
      "/api/v1/keys/{id}": {
        delete: { summary: "Revoke a key (admin); ?cancelOrders=true cancels its bot's open orders first", parameters: idParam, responses: { "200": ok("Revocation report and the steps to delete it on the exchange"), ...errors } },
      },
      "/api/v1/bots": {
        get: { summary: "List bots (read)", responses: { "200": ok("Bots"), ...errors } },
        post: { summary: "Create a bot (admin); its key must be free", requestBody: body(botSchema), responses: { "201": ok("The bot"), "409": { description: "The key is used by another bot", content: { "application/json": { schema: error } } }, ...errors } },
      },
      "/api/v1/bots/{id}": {
        put: { summary: "Update a stopped bot (admin)", parameters: idParam, requestBody: body(botSchema), responses: { "200": ok("The bot"), ...errors } },
        delete: { summary: "Delete a stopped bot (admin); history is kept", parameters: idParam, responses: { "200": ok("Deleted"), ...errors } },
      },
    },
  };
}
