import { ApiError, apiRoute } from "@/lib/api/auth";
import { currentSession } from "@/lib/auth/request";
import { backtestReportFile } from "@/lib/data/backtests";

export const dynamic = "force-dynamic";

/** A backtest's whole report as a JSON download (cookie session): every fill, not only the page's first 200. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute(async () => {
    if (!(await currentSession())) throw new ApiError(401, "unauthorized", "Sign in to download reports.");
    const file = await backtestReportFile(id);
    if (!file) throw new ApiError(404, "not_found", "That backtest does not exist or has no report yet.");
    return new Response(file.json, { headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "no-store" } });
  })(req);
}
