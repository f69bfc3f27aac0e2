import { apiRoute } from "@/lib/api/auth";
import { killSwitchApi } from "@/lib/api/bots";

export const dynamic = "force-dynamic";
export const POST = apiRoute(killSwitchApi);
