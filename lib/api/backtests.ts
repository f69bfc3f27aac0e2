/**
 * /api/v1 for backtests: list them and read one with its whole report (read),
 * queue one (operate) — the form's fields as JSON, CSV candles as text. The
 * worker runs it; poll GET /api/v1/backtests/{id} until its status is done.
 */
import "server-only";
import { z } from "zod";
import { backtestFormSchema, queueBacktest } from "../backtest/queue";
import { decodeTimeCursor, olderThan, pageFrom, pageSize } from "../db/paging";
import { backtestRowSelect, toBacktestRow } from "../data/backtests";
import { db } from "../db/client";
import { InvalidInputError, ServiceError } from "../errors";
import { ApiError, requireToken } from "./auth";
import { actorOf, json, mapError, parse, query } from "./handlers";
import { pageQuery } from "./schemas";

const sweepFormat = 'A grid as text, "fast=5,10,20; slow=30,50", or as an object, {"fast": [5, 10, 20], "slow": [30, 50]}.';

/** The form's fields, the strategy's parameters as an object, and a sweep as the form's text or as an object of value lists. */
export const backtestInput = backtestFormSchema.extend({
  params: z.record(z.string(), z.unknown()).default({}).describe("the strategy's parameters (GET /api/v1/strategies)"),
  sweep: z
    .union([backtestFormSchema.shape.sweep.unwrap(), z.record(z.string(), z.array(z.union([z.string(), z.number()])).min(1))], { error: sweepFormat })
    .optional()
    .transform((v) => (v === undefined || typeof v === "string" ? v : Object.entries(v).map(([name, values]) => `${name}=${values.join(",")}`).join("; ")))
    .describe(`a parameter sweep, every combination run: ${sweepFormat}`),
});

export async function listBacktestsApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const q = query(req, pageQuery);
  try {
    const take = pageSize(q.limit);
    const rows = await db().backtestJob.findMany({ where: olderThan("createdAt", decodeTimeCursor(q.cursor)), orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1, select: backtestRowSelect });
    const page = pageFrom(rows, take, (r) => r.createdAt, toBacktestRow);
    return Response.json({ backtests: page.items, nextCursor: page.nextCursor });
  } catch (err) {
    if (err instanceof ServiceError) throw new ApiError(400, "bad_query", err.message);
    throw err;
  }
}

export async function getBacktestApi(req: Request, id: string): Promise<Response> {
  await requireToken(req, "read");
  const j = await db().backtestJob.findUnique({ where: { id }, select: { ...backtestRowSelect, report: true } });
  if (!j) throw new ApiError(404, "not_found", "That backtest does not exist.");
  return Response.json({ backtest: { ...toBacktestRow(j), report: j.report ? (JSON.parse(j.report) as unknown) : null } });
}

export async function queueBacktestApi(req: Request): Promise<Response> {
  const p = await requireToken(req, "operate");
  const { params, ...form } = parse(backtestInput, await json(req));
  const r = await queueBacktest(db(), form, params, actorOf(p, req));
  if (!r.ok) mapError(new InvalidInputError(r.error, r.fieldErrors)); // 422 with the field errors
  const j = await db().backtestJob.findUniqueOrThrow({ where: { id: r.id }, select: backtestRowSelect });
  return Response.json({ backtest: toBacktestRow(j) }, { status: 202 });
}
