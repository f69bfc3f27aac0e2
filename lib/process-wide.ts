/**
 * One value per process. Next.js bundles each route and each server action
 * separately, and a module-level variable exists once per bundle: a cache that
 * a server action must clear (a revoked token, a changed bot) has to live here,
 * or the route handlers keep their own copy. Also survives dev reloads.
 */
const store = globalThis as unknown as { __keyward?: Map<string, unknown> };

export function processWide<T>(name: string, make: () => T): T {
  store.__keyward ??= new Map();
  if (!store.__keyward.has(name)) store.__keyward.set(name, make());
  return store.__keyward.get(name) as T;
}
