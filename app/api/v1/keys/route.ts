import { apiRoute } from "@/lib/api/auth";
import { addKeyApi, listKeysApi } from "@/lib/api/handlers";

export const dynamic = "force-dynamic";
export const GET = apiRoute(listKeysApi);
export const POST = apiRoute(addKeyApi);
