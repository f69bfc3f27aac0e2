import { apiRoute } from "@/lib/api/auth";
import { testChannelApi } from "@/lib/api/notifications";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => testChannelApi(r, id))(req);
}
