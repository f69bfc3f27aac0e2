import { apiRoute } from "@/lib/api/auth";
import { revokeKeyApi } from "@/lib/api/handlers";

export const dynamic = "force-dynamic";

export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => revokeKeyApi(r, id))(req);
}
