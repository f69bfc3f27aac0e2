import { apiRoute } from "@/lib/api/auth";
import { deliveriesApi } from "@/lib/api/notifications";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => deliveriesApi(r, id))(req);
}
