/**
 * The real @node-rs/argon2 with its verifies counted, for tests that prove where argon2 work is done
 * (SECURITY.md 11, 12). Use in a test file:
 *   vi.mock("@node-rs/argon2", async (original) => (await import("../helpers/argon2-counter")).countVerifies(original));
 * and read `argon2Verifies` (the PHC string of each verify, in order).
 */
import type * as argon2 from "@node-rs/argon2";

export const argon2Verifies: string[] = [];

export async function countVerifies(original: <T>() => Promise<T>): Promise<typeof argon2> {
  const real = await original<typeof argon2>();
  return { ...real, verify: (...args: Parameters<typeof real.verify>) => (argon2Verifies.push(String(args[0])), real.verify(...args)) };
}
