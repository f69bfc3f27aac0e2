import { apiRoute, requireToken } from "@/lib/api/auth";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req) => {
  const p = await requireToken(req, "read");
  return Response.json({ user: { id: p.user.id, email: p.user.email, role: p.user.role }, scopes: p.scopes });
});
