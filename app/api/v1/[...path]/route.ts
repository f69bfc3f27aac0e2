import { ApiError, apiRoute, requireToken } from "@/lib/api/auth";

export const dynamic = "force-dynamic";

// Any /api/v1 path without its own handler: 401 without a token, else 404.
const notFound = apiRoute(async (req) => {
  await requireToken(req, "read");
  throw new ApiError(404, "not_found", "No such API endpoint. See /api/v1/openapi.json.");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
