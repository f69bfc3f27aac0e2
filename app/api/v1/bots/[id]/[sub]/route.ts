import { apiRoute } from "@/lib/api/auth";
import { botHistoryApi, controlBotApi } from "@/lib/api/bots";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; sub: string }> };

/** GET /api/v1/bots/:id/{orders,trades,events} */
export async function GET(req: Request, { params }: Ctx) {
  const { id, sub } = await params;
  return apiRoute((r) => botHistoryApi(r, id, sub))(req);
}

/** POST /api/v1/bots/:id/{start,stop,pause,resume} */
export async function POST(req: Request, { params }: Ctx) {
  const { id, sub } = await params;
  return apiRoute((r) => controlBotApi(r, id, sub))(req);
}
