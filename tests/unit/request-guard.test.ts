import { describe, expect, it } from "vitest";
import { guardRequest } from "@/lib/web/request-guard";

const limits = { defaultBytes: 1024 * 1024, byPrefix: { "/upload": 50 * 1024 * 1024 } };
const req = (method: string, url: string, headers: Record<string, string> = {}) => guardRequest({ method, url, headers }, limits);

describe("issue 13.7: 4xx for every bad request, decided before Next sees it", () => {
  it("TRACE and other unsupported methods → 405", () => {
    for (const m of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO", ""]) expect(req(m, "/")?.status, m).toBe(405);
    for (const m of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) expect(req(m, "/api/v1/keys"), m).toBeNull();
  });

  it("malformed percent-encoding, an encoded NUL or a non-path target → 400", () => {
    for (const url of ["/api/v1/%", "/keys/%zz", "/%E0%A4%A", "/a%00b", "/x?q=%", "*", "http://evil.example/", "//evil.example/x"]) expect(req("GET", url)?.status, url).toBe(400);
    expect(req("GET", "/keys/%C3%A9?q=a%20b+c")).toBeNull();
  });

  it("a body over the limit → 413 from its Content-Length, before it is read; uploads have their own limit", () => {
    expect(req("POST", "/api/v1/keys", { "content-length": String(1024 * 1024 + 1) })?.status).toBe(413);
    expect(req("POST", "/login", { "content-length": "5000000", "next-action": "x" })?.status).toBe(413);
    expect(req("POST", "/api/v1/keys", { "content-length": "1048576" })).toBeNull();
    expect(req("POST", "/upload/csv", { "content-length": "5000000" })).toBeNull();
    expect(req("POST", "/api/v1/keys", { "content-length": "12abc" })?.status).toBe(400);
  });

  it("a body without Content-Length (chunked) → 411", () => {
    expect(req("POST", "/api/v1/keys", { "transfer-encoding": "chunked" })?.status).toBe(411);
  });
});
