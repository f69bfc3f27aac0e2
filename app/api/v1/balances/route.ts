import { apiRoute } from "@/lib/api/auth";
import { balancesApi } from "@/lib/api/monitoring";

export const dynamic = "force-dynamic";
export const GET = apiRoute(balancesApi);
