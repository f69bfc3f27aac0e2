/**
 * Authentication and CSRF for route handlers.
 *
 * /api/v1 is bearer-token only: cookies are ignored there, so a browser can
 * never be tricked into using a session against it (SECURITY.md 17).
 * Cookie-authenticated handlers that mutate must call `assertSameOrigin`
 * (server actions get the same check from Next itself).
 */
import "server-only";
import { errorId } from "../auth/action";
import { authenticateBearer, type TokenPrincipal } from "../auth/api-tokens";
import type { TokenScope } from "../auth/roles";
import { db } from "../db/client";
import { log } from "../log";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function apiErrorResponse(err: ApiError): Response {
  return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status, headers: err.status === 401 ? { "www-authenticate": 'Bearer realm="keyward"' } : {} });
}

export async function requireToken(req: Request, scope: TokenScope): Promise<TokenPrincipal> {
  const principal = await authenticateBearer(db(), req.headers.get("authorization"));
  if (!principal) throw new ApiError(401, "unauthorized", "Send a valid API token as Authorization: Bearer kwt_… (create one in Settings → API tokens).");
  if (!principal.scopes.includes(scope)) throw new ApiError(403, "forbidden", `This token lacks the ${scope} scope.`);
  return principal;
}

/** Refuses cross-site requests: Sec-Fetch-Site must not be cross-site, and Origin, when sent, must be our host. */
export function assertSameOrigin(req: Request): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ApiError(403, "cross_site", "Cross-site requests are refused.");
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (URL.canParse(origin) && new URL(origin).host === host) return;
  throw new ApiError(403, "cross_site", "Cross-site requests are refused.");
}

type Handler = (req: Request) => Promise<Response>;

/** Wraps a handler: ApiErrors become JSON answers; anything else a generic 500 with an error id (details only in the log). */
export function apiRoute(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof ApiError) return apiErrorResponse(err);
      const id = errorId();
      log.error({ errorId: id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "unexpected error in API route");
      return Response.json({ error: { code: "internal", message: `Something went wrong (error id ${id}).` } }, { status: 500 });
    }
  };
}
