import { ApiError, apiRoute } from "@/lib/api/auth";
import { currentSession } from "@/lib/auth/request";
import { botFillsCsv } from "@/lib/data/bot-fills-csv";

export const dynamic = "force-dynamic";

/** A bot's fills as a CSV download (cookie session), oldest first: every one, not only the page's 25. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute(async () => {
    if (!(await currentSession())) throw new ApiError(401, "unauthorized", "Sign in to download fills.");
    const file = await botFillsCsv(id);
    if (!file) throw new ApiError(404, "not_found", "That bot does not exist.");
    return file;
  })(req);
}
