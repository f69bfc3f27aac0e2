import { apiRoute } from "@/lib/api/auth";
import { eventsApi } from "@/lib/api/monitoring";

export const dynamic = "force-dynamic";
export const GET = apiRoute(eventsApi);
