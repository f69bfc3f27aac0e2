import "server-only";
import { requireUser } from "../auth/request";
import { listUsers, type UserDTO } from "../auth/users";
import { db } from "../db/client";

/** Owners only. */
export async function listUsersForOwner(): Promise<UserDTO[]> {
  await requireUser("owner");
  return listUsers(db());
}
