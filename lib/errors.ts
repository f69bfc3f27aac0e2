/**
 * Expected failures of services, by kind. Callers map the class, never the
 * message text: /api/v1 answers 404 / 409 / 422, server actions show the
 * message (and the field errors next to their fields). Messages are safe to
 * show: they name what is wrong and what to do, and never carry a secret.
 */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

/** The thing named (by id, usually in the path) does not exist, or no longer does. */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
}

/** The request clashes with what exists: a key already stored, a key already bound to a bot. */
export class ConflictError extends ServiceError {
  override name = "ConflictError";
}

/** The input is well-formed but not acceptable (a wrong field value, a bot that must be stopped first). */
export class InvalidInputError extends ServiceError {
  override name = "InvalidInputError";
}

/** Prisma's unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "P2002";
}
