export const dynamic = "force-dynamic";

/** Liveness of the web process alone (no database, no session): load balancers, and the dashboard benchmark's baseline. */
export function GET(): Response {
  return Response.json({ ok: true });
}
