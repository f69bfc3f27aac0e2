import { apiRoute } from "@/lib/api/auth";
import { deleteChannelApi } from "@/lib/api/notifications";

export const dynamic = "force-dynamic";

export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => deleteChannelApi(r, id))(req);
}
