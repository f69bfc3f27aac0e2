import "server-only";
import { requireUser } from "../auth/request";
import { atLeast } from "../auth/roles";
import { db } from "../db/client";

export interface AuditDTO {
  id: number;
  at: Date;
  actor: string;
  ip: string | null;
  action: string;
  target: string | null;
  detail: string;
}

export interface AuditPage {
  entries: AuditDTO[];
  page: number;
  pages: number;
  total: number;
  actions: string[];
}

export const auditPageSize = 50;

/** Operators and owners see every entry; a viewer sees only their own (issue 13: audit privacy). */
export async function listAudit(filter: { action?: string; actor?: string; page?: number }): Promise<AuditPage & { ownOnly: boolean }> {
  const session = await requireUser("viewer");
  const ownOnly = !atLeast(session.user.role, "operator");
  const where = {
    ...(ownOnly ? { actorId: session.user.id } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor ? { actorLabel: { contains: filter.actor.slice(0, 100) } } : {}),
  };
  const total = await db().auditEntry.count({ where });
  const pages = Math.max(1, Math.ceil(total / auditPageSize));
  const page = Math.min(Math.max(1, filter.page ?? 1), pages);
  const rows = await db().auditEntry.findMany({ where, orderBy: { id: "desc" }, skip: (page - 1) * auditPageSize, take: auditPageSize });
  const actions = (await db().auditEntry.findMany({ where: ownOnly ? { actorId: session.user.id } : {}, distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } })).map((a) => a.action);
  return {
    entries: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actorLabel, ip: r.ip, action: r.action, target: r.targetType ? `${r.targetType}:${r.targetId}` : null, detail: r.detail })),
    page,
    pages,
    total,
    actions,
    ownOnly,
  };
}
