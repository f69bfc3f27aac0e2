/**
 * RFC 6238 Appendix B, SHA-1 rows: secret "12345678901234567890" (ASCII), 30 s
 * steps, 8 digits — through the project's own verify path (matchingStep), the
 * one sign-in uses with 6 digits.
 */
import { describe, expect, it } from "vitest";
import { matchingStep, totpParams } from "@/lib/auth/two-factor/totp";

const secret = new TextEncoder().encode("12345678901234567890");
const vectors: [seconds: number, code: string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it.each(vectors)("at T = %i s the code is %s", (seconds, code) => {
    expect(matchingStep(secret, code, seconds * 1000, 8)).toBe(Math.floor(seconds / 30));
  });

  it("a code one digit off, of another length, or two steps away is refused", () => {
    expect(matchingStep(secret, "94287083", 59_000, 8)).toBeNull();
    expect(matchingStep(secret, "4287082", 59_000, 8)).toBeNull();
    expect(matchingStep(secret, "94287082", 59_000 + 2 * 30_000 + 1000, 8)).toBeNull();
  });

  it("one step of clock drift either way is accepted, as the step the code belongs to", () => {
    expect(matchingStep(secret, "07081804", 1111111109_000 + 30_000, 8)).toBe(Math.floor(1111111109 / 30));
    expect(matchingStep(secret, "07081804", 1111111109_000 - 30_000, 8)).toBe(Math.floor(1111111109 / 30));
  });

  it("sign-in uses SHA-1, 6 digits, 30 s steps, a window of one step", () => {
    expect(totpParams).toEqual({ algorithm: "SHA1", digits: 6, period: 30, window: 1 });
  });
});
