/**
 * Issue 13 against the running app (started as `npm start` starts it): what
 * an attacker's probe found, each item by name, plus a bounded fuzz.
 */
import { createHash } from "node:crypto";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { addUser, appRoutes, confirmReauth, createToken, dataDir, expectFitsPhone, formWith, login, mintDemoKey, owner, serverActions, submitWithReauth } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3200);

/**
 * One raw HTTP/1.1 request over a socket (no client-side URL or method
 * normalization). Sends `sendBytes` of the body (default: all of it) and
 * resolves with the status as soon as the answer's first line arrives, or 0
 * if the connection closed without one.
 */
function raw(r: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; sendBytes?: number }): Promise<number> {
  return new Promise((resolve) => {
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? "");
    const headers = { host: `127.0.0.1:${port}`, connection: "close", ...(body.length && !r.headers?.["transfer-encoding"] ? { "content-length": String(body.length) } : {}), ...r.headers };
    const socket = net.connect(port, "127.0.0.1");
    let got = "";
    const done = (status: number) => {
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(15_000, () => done(-1));
    socket.on("data", (d) => {
      got += d.toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      if (m) done(Number(m[1]));
    });
    socket.on("error", () => done(/^HTTP\/1\.[01] (\d{3})/.test(got) ? Number(got.slice(9, 12)) : 0));
    socket.on("close", () => done(0));
    socket.on("connect", () => {
      socket.write(`${r.method} ${r.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`, "latin1");
      socket.write(body.subarray(0, r.sendBytes ?? body.length));
    });
  });
}

test("issue 13.7: TRACE → 405, bad percent-encoding → 400, POST to no route → 404, a JSON body over 1 MB → 413 before it is read, an oversized server action → 413", async ({ page }) => {
  const token = await createToken(page, "hardening admin", ["read", "admin"]);
  expect(await raw({ method: "TRACE", path: "/" })).toBe(405);
  expect(await raw({ method: "TRACE", path: "/api/v1/keys", headers: { authorization: `Bearer ${token}` } })).toBe(405);
  expect(await raw({ method: "PROPFIND", path: "/keys" })).toBe(405);
  expect(await raw({ method: "GET", path: "/api/v1/%" })).toBe(400);
  expect(await raw({ method: "GET", path: "/keys/%zz" })).toBe(400);
  expect(await raw({ method: "POST", path: "/no/such/route", body: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } })).toBe(404);
  expect(await raw({ method: "POST", path: "/api/v1/no-such-route", body: "{}", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } })).toBe(404);
  // 2 MB declared, 64 KB sent: the answer comes without waiting for the rest
  const big = Buffer.alloc(2 * 1024 * 1024, "a");
  expect(await raw({ method: "POST", path: "/api/v1/keys", body: big, sendBytes: 65_536, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } })).toBe(413);
  const action = Object.values(serverActions())[0]!;
  expect(await raw({ method: "POST", path: action.path, body: big, sendBytes: 65_536, headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8" } })).toBe(413);
  expect(await raw({ method: "POST", path: "/api/v1/keys", headers: { authorization: `Bearer ${token}`, "transfer-encoding": "chunked" }, body: "0\r\n\r\n" })).toBe(411);
});

/** A small seeded PRNG, so a failing fuzz run can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("issue 13.7: a bounded fuzz — thousands of malformed requests across every route — gets no 5xx, and health is ok afterwards", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const token = await createToken(page, "fuzz read", ["read"]);
  // a session of its own, so that fuzzing the logout action ends nobody else's
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await login(await context.newPage(), owner.email, owner.password);
  const session = (await context.cookies()).find((c) => c.name.endsWith("keyward_session"))!;

  const seed = Number(process.env.FUZZ_SEED ?? 1313);
  const rnd = prng(seed);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const routes = appRoutes().map((r) => r.replace(/\[\.\.\.\w+\]/, "a/b").replace(/\[\w+\]/g, () => pick(["x", "0", "-1", "%2e%2e", "clxxxxxxxxxxxxxxxxxxxxxxx", "a".repeat(300)])));
  const actions = Object.values(serverActions());
  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO"];
  const suffixes = ["", "", "/", "//", "/..", "/%", "/%zz", "/%00", "/%C0%AF", "?q=%", "?q=%E0%A4%A", "?a=1&a=2&a[]=3", "?" + "x".repeat(4000), "/é", "/..%2f..%2fetc%2fpasswd", ";jsessionid=1", "#frag"];
  const types = ["application/json", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "garbage/\u00ff", ""];
  const bodies = ["", "{", "}", "[]", "null", "0", '"str"', '{"name":"\u0000\u202e","keyId":[1],"symbol":{},"maxOpenOrders":"0x10"}', '{"exchange":"demo","label":1,"apiKey":null}', "[".repeat(3000), '{"a":' + '"b"'.repeat(20) + "}", "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--", "1=2&%=%", '["$K1",{"a":"$@2"}]', Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString("latin1")];
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const total = Number(process.env.FUZZ_REQUESTS ?? 3000);

  async function one(): Promise<void> {
    const action = rnd() < 0.25 ? pick(actions) : undefined;
    const method = action && rnd() < 0.8 ? "POST" : pick(methods);
    const target = (action ? action.path : pick(routes)) + pick(suffixes);
    const headers: Record<string, string> = {};
    const type = pick(types);
    if (type) headers["content-type"] = type;
    if (rnd() < 0.4) headers.authorization = pick([`Bearer ${token}`, "Bearer kwt_" + "A".repeat(30), "Bearer", "Basic YTpi", `Bearer ${token}x`]);
    if (rnd() < 0.5) headers.cookie = pick([`${session.name}=${session.value}`, "keyward_session=garbage", "keyward_session=" + "a".repeat(300), "__Host-keyward_session=x; keyward_session=y"]);
    if (action || rnd() < 0.1) headers["next-action"] = action && rnd() < 0.7 ? action.id : pick(["0".repeat(40), "zz", "'; DROP TABLE"]);
    if (rnd() < 0.3) headers.origin = pick([`http://127.0.0.1:${port}`, "https://evil.example", "null"]);
    if (rnd() < 0.1) headers["x-middleware-subrequest"] = "middleware:middleware:middleware:middleware:middleware";
    if (rnd() < 0.2) headers.accept = pick(["text/x-component", "text/event-stream", "*/*"]);
    if (rnd() < 0.1) headers["sec-fetch-site"] = pick(["cross-site", "same-origin", "none"]);
    const body = ["GET", "HEAD"].includes(method) && rnd() < 0.8 ? "" : pick(bodies);
    const status = await raw({ method, path: target.replace(/[\s]/g, "%20"), headers, body: Buffer.from(body, "latin1") });
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500 || status <= 0) failures.push(`${status} ${method} ${target.slice(0, 120)} ${JSON.stringify(headers).slice(0, 200)} body=${JSON.stringify(body.slice(0, 80))}`);
  }

  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (sent < total) {
        sent++;
        await one();
      }
    }),
  );
  console.log(`fuzz seed ${seed}: ${total} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  expect(failures.slice(0, 20), `${failures.length} requests got a 5xx or no answer (FUZZ_SEED=${seed})`).toEqual([]);
  const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
  expect(health).toMatchObject({ status: "ok", db: "ok" });
  await context.close();
});

test("issue 13.1: a second add of the same key answers 409 naming the stored key and its bot, in the API and in the form", async ({ page, playwright, baseURL }) => {
  const token = await createToken(page, "dup admin", ["read", "admin"]);
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const minted = await mintDemoKey({ read: true, trade: true });
  const body = { exchange: "demo", label: "dup-original", apiKey: minted.apiKey, secret: minted.secret };
  const first = await api.post("/api/v1/keys", { data: body });
  expect(first.status()).toBe(201);
  const keyId = (await first.json()).key.id;
  expect((await api.post("/api/v1/bots", { data: { name: "dup-holder", keyId, symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "30", maxDailyLoss: "5", maxOpenOrders: 1 } })).status()).toBe(201);
  const second = await api.post("/api/v1/keys", { data: { ...body, label: "dup-copy" } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.message).toMatch(/already stored as "dup-original" .*used by bot "dup-holder"/);

  await page.goto("/keys");
  const form = formWith(page, "Verify and add");
  await form.getByLabel("Label").fill("dup-copy-form");
  await form.getByLabel("API key").fill(minted.apiKey);
  await form.getByLabel("API secret").fill(minted.secret);
  await submitWithReauth(page, form, "Verify and add");
  await expect(form.getByRole("alert")).toContainText('already stored as "dup-original"');
  expect(((await (await api.get("/api/v1/keys")).json()).keys as { label: string }[]).filter((k) => k.label.startsWith("dup-")).map((k) => k.label)).toEqual(["dup-original"]);
});

test("issue 13.6: unknown ids answer 404, not 422; names with control or direction characters are refused", async ({ page, playwright, baseURL }) => {
  const token = await createToken(page, "ids admin", ["read", "admin"]);
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const bot = { name: "ghost", keyId: "nope", symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "30", maxDailyLoss: "5", maxOpenOrders: 1 };
  expect((await api.put("/api/v1/bots/no-such-bot", { data: bot })).status()).toBe(404);
  expect((await api.delete("/api/v1/bots/no-such-bot")).status()).toBe(404);
  expect((await api.delete("/api/v1/keys/no-such-key")).status()).toBe(404);
  for (const name of ["evil\u202Etxt", "line\nbreak", "nul\u0000"]) {
    const r = await api.post("/api/v1/bots", { data: { ...bot, name } });
    expect(r.status(), JSON.stringify(name)).toBe(422);
  }
  for (const maxOpenOrders of ["0x10", [7], true]) expect((await api.post("/api/v1/bots", { data: { ...bot, maxOpenOrders } })).status()).toBe(422);
});

test("issue 13.2: a session whose password check expired must confirm the password before it can create a token", async ({ page, context }) => {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("keyward_session"))!;
  const db = new Database(path.join(dataDir, "keyward.db"));
  db.prepare("UPDATE Session SET reauthAt = NULL WHERE tokenHash = ?").run(createHash("sha256").update(cookie.value).digest("hex"));
  db.close();
  await page.goto("/settings/tokens");
  const form = formWith(page, "Create token");
  await form.getByLabel("Name").fill("needs fresh auth");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByLabel("Confirm your password")).toBeVisible();
  await expect(page.getByTestId("revealed")).toHaveCount(0);
  expect(await confirmReauth(page), "fresh authentication asks the owner's second factor too").toBe(true);
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("revealed")).toContainText("kwt_");
  // tokens always expire: the list shows a date for every one
  await page.reload();
  for (const row of await page.getByTestId("token-row").all()) await expect(row.getByTestId("token-expires").locator("time")).toBeVisible();
});

test("issue 13.5: a viewer sees only their own audit entries", async ({ page, browser }) => {
  const viewer = { email: "audit-viewer@example.test", password: "audit-viewer-pw-93" };
  await addUser(page, viewer, "viewer");
  // the users list on a phone: the new user's row fits, Disable on screen (the role is changed from a wider screen)
  const userRow = page.getByTestId("user-row").filter({ hasText: viewer.email });
  await expectFitsPhone(page, userRow, "Disable");
  await expect(userRow).toContainText("viewer · active");

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const vpage = await context.newPage();
  await login(vpage, viewer.email, viewer.password);
  await vpage.goto("/audit");
  await expect(vpage.getByText("As a viewer you see your own entries only.")).toBeVisible();
  const actors = await vpage.getByTestId("audit-row").locator("td:nth-child(3)").allTextContents();
  expect(actors.length).toBeGreaterThan(0);
  for (const a of actors) expect(a).toBe(viewer.email);
  await context.close();
});
