import { ApiError, apiRoute } from "@/lib/api/auth";
import { currentSession } from "@/lib/auth/request";
import { botChart, chartTimeframes, type ChartTimeframe } from "@/lib/data/bot-chart";

export const dynamic = "force-dynamic";

/** The bot page's chart (cookie session): candles with the bot's open orders and fills. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute(async () => {
    if (!(await currentSession())) throw new ApiError(401, "unauthorized", "Sign in to see charts.");
    const tf = new URL(req.url).searchParams.get("timeframe") ?? "1m";
    if (!(chartTimeframes as readonly string[]).includes(tf)) throw new ApiError(400, "bad_query", `timeframe: one of ${chartTimeframes.join(", ")}.`);
    const chart = await botChart(id, tf as ChartTimeframe);
    if (!chart) throw new ApiError(404, "not_found", "That bot does not exist.");
    return Response.json(chart, { headers: { "cache-control": "no-store" } });
  })(req);
}
