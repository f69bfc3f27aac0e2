import { apiRoute } from "@/lib/api/auth";
import { recheckKeyApi } from "@/lib/api/bots";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return apiRoute((r) => recheckKeyApi(r, id))(req);
}
