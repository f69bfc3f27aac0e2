import "server-only";
import { ApiError } from "../api/auth";
import { eventStream, StreamQueryError } from "./sse";

/** The SSE answer for a route handler; a bad query becomes a 400 in the API's error format. */
export async function liveStream(req: Request, stillAllowed: () => Promise<boolean>): Promise<Response> {
  try {
    return await eventStream(req, stillAllowed);
  } catch (err) {
    if (err instanceof StreamQueryError) throw new ApiError(400, "bad_query", err.message);
    throw err;
  }
}
