import { ApiError, apiRoute, requireToken } from "@/lib/api/auth";
import { env } from "@/lib/env";
import { scrape } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";

/** Prometheus metrics: an API token with the read scope, unless METRICS=open; METRICS=off hides it. */
export const GET = apiRoute(async (req) => {
  const mode = env().METRICS;
  if (mode === "off") throw new ApiError(404, "not_found", "Metrics are off (METRICS=off).");
  if (mode === "token") await requireToken(req, "read");
  const { contentType, body } = await scrape();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
