import { apiRoute } from "@/lib/api/auth";
import { deleteBotApi, updateBotApi } from "@/lib/api/handlers";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function PUT(req: Request, { params }: Ctx) {
  const { id } = await params;
  return apiRoute((r) => updateBotApi(r, id))(req);
}

export async function DELETE(req: Request, { params }: Ctx) {
  const { id } = await params;
  return apiRoute((r) => deleteBotApi(r, id))(req);
}
