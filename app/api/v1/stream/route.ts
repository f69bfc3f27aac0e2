import { apiRoute, requireToken } from "@/lib/api/auth";
import { authenticateBearer } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { liveStream } from "@/lib/live/stream-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req) => {
  await requireToken(req, "read");
  const authorization = req.headers.get("authorization");
  return liveStream(req, async () => (await authenticateBearer(db(), authorization))?.scopes.includes("read") ?? false);
});
