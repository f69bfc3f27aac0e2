/**
 * Roles (SECURITY.md 15): owner does everything; operator starts and stops
 * bots but changes no keys or users; viewer only reads.
 */
export const roles = ["viewer", "operator", "owner"] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Whether `role` is at least `min`. */
export function atLeast(role: string, min: Role): boolean {
  return isRole(role) && roles.indexOf(role) >= roles.indexOf(min);
}

/** API token scopes and the role each needs. */
export const tokenScopes = { read: "viewer", operate: "operator", admin: "owner" } as const satisfies Record<string, Role>;
export type TokenScope = keyof typeof tokenScopes;
