import { ApiError, apiRoute } from "@/lib/api/auth";

export const dynamic = "force-dynamic";

// Any /api path outside /api/v1 without its own handler: a JSON 404. Without
// it Next answers with the not-found page, and reads a form body POSTed there
// as a server action (a 500 when it is not one).
const notFound = apiRoute(async () => {
  throw new ApiError(404, "not_found", "No such endpoint. The API is under /api/v1 (see /api/v1/openapi.json).");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
