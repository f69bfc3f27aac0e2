import { apiRoute } from "@/lib/api/auth";
import { getBacktestApi } from "@/lib/api/backtests";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => getBacktestApi(r, id))(req);
}
