import { apiRoute } from "@/lib/api/auth";
import { getBotApi } from "@/lib/api/bots";
import { deleteBotApi, updateBotApi } from "@/lib/api/handlers";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(req: Request, { params }: Ctx) {
  const { id } = await params;
  return apiRoute((r) => getBotApi(r, id))(req);
}

export async function PUT(req: Request, { params }: Ctx) {
  const { id } = await params;
  return apiRoute((r) => updateBotApi(r, id))(req);
}

export async function DELETE(req: Request, { params }: Ctx) {
  const { id } = await params;
  return apiRoute((r) => deleteBotApi(r, id))(req);
}
