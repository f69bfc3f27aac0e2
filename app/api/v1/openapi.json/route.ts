import { apiRoute, requireToken } from "@/lib/api/auth";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req) => {
  await requireToken(req, "read");
  return Response.json(openApiDocument());
});
