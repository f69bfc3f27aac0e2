/**
 * What the web server refuses before Next.js sees a request (issue 13:
 * "4xx for every bad request, never 5xx"). Next answers some malformed
 * requests with a 500 (a bad percent-encoding in an /api path, TRACE on a
 * route handler), so these are decided here, in plain code, first:
 *  - a method Keyward does not serve                      → 405 (with Allow)
 *  - a target that is not an origin-form path, a bad percent-encoding or an encoded NUL → 400
 *  - a body sent without Content-Length (chunked)         → 411
 *  - a body larger than the limit for its path            → 413, before a byte of it is read
 */
export const allowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export interface Refusal {
  status: 400 | 405 | 411 | 413;
  code: string;
  message: string;
}

export interface GuardedRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface BodyLimits {
  /** API_MAX_BODY_BYTES: JSON bodies, forms and server actions */
  defaultBytes: number;
  /** larger limits for paths that take uploads, by path prefix */
  byPrefix?: Record<string, number>;
}

export function bodyLimitFor(pathname: string, limits: BodyLimits): number {
  for (const [prefix, bytes] of Object.entries(limits.byPrefix ?? {})) if (pathname.startsWith(prefix)) return bytes;
  return limits.defaultBytes;
}

export function guardRequest(req: GuardedRequest, limits: BodyLimits): Refusal | null {
  const method = (req.method ?? "").toUpperCase();
  if (!(allowedMethods as readonly string[]).includes(method)) return { status: 405, code: "method_not_allowed", message: `${method || "That method"} is not supported here.` };

  const target = req.url ?? "";
  if (!target.startsWith("/") || target.startsWith("//")) return { status: 400, code: "bad_request", message: "The request target must be a path." };
  const pathname = target.split(/[?#]/, 1)[0]!;
  try {
    if (decodeURIComponent(pathname).includes("\0")) return { status: 400, code: "bad_request", message: "The path contains a NUL character." };
    const query = target.slice(pathname.length + 1);
    if (query) decodeURIComponent(query.replace(/\+/g, " "));
  } catch {
    return { status: 400, code: "bad_request", message: "The URL has a malformed percent-encoding." };
  }

  const length = header(req, "content-length");
  const chunked = header(req, "transfer-encoding");
  if (chunked && length === undefined) return { status: 411, code: "length_required", message: "Send the body with a Content-Length." };
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) return { status: 400, code: "bad_request", message: "Content-Length must be a number." };
    const limit = bodyLimitFor(pathname, limits);
    if (Number(length) > limit) return { status: 413, code: "too_large", message: `The body is larger than ${limit} bytes.` };
  }
  return null;
}

function header(req: GuardedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
