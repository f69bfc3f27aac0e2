import { apiRoute } from "@/lib/api/auth";
import { createBotApi, listBotsApi } from "@/lib/api/handlers";

export const dynamic = "force-dynamic";
export const GET = apiRoute(listBotsApi);
export const POST = apiRoute(createBotApi);
