import { apiRoute } from "@/lib/api/auth";
import { listBacktestsApi, queueBacktestApi } from "@/lib/api/backtests";

export const dynamic = "force-dynamic";
export const GET = apiRoute(listBacktestsApi);
export const POST = apiRoute(queueBacktestApi);
