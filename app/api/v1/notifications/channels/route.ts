import { apiRoute } from "@/lib/api/auth";
import { addChannelApi, listChannelsApi } from "@/lib/api/notifications";

export const dynamic = "force-dynamic";
export const GET = apiRoute(listChannelsApi);
export const POST = apiRoute(addChannelApi);
