import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/auth/client-ip";

describe("client IP for the audit log", () => {
  it("trusts the right-most X-Forwarded-For entry (added by the nearest proxy), not what the client wrote", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientIp(new Headers({ "x-real-ip": "10.1.2.3" }))).toBe("10.1.2.3");
    expect(clientIp(new Headers())).toBeNull();
  });
});
