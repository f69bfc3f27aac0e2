import { apiRoute } from "@/lib/api/auth";
import { listStrategiesApi } from "@/lib/api/bots";

export const dynamic = "force-dynamic";
export const GET = apiRoute(listStrategiesApi);
