import { apiRoute } from "@/lib/api/auth";
import { cancelOrderApi } from "@/lib/api/monitoring";

export const dynamic = "force-dynamic";

/** POST /api/v1/orders/:id/cancel — the order's bot cancels it at once (its tick is woken). */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => cancelOrderApi(r, id))(req);
}
