import { ApiError, apiRoute } from "@/lib/api/auth";
import { sessionToken } from "@/lib/auth/request";
import { validateSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { liveStream } from "@/lib/live/stream-route";

export const dynamic = "force-dynamic";

// The pages' live updates (cookie session, any role). Scripts use /api/v1/stream with a token.
export const GET = apiRoute(async (req) => {
  const token = await sessionToken();
  if (!(await validateSession(db(), token))) throw new ApiError(401, "unauthorized", "Sign in to watch live updates.");
  return liveStream(req, async () => (await validateSession(db(), token)) !== null);
});
