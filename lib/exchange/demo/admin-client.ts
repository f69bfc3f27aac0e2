/** Mints demo accounts and keys through the demo exchange's loopback admin API. */
export interface DemoKeyRequest {
  read: boolean;
  trade: boolean;
  withdraw: boolean;
  /** moving funds between wallets or sub-accounts */
  transfer?: boolean;
  ipRestrict: boolean;
}

export const demoStartingBalances = { USDT: "10000", BTC: "0.1", ETH: "1", SOL: "20", DEMO: "2000" };

/** The admin API takes JSON only (and refuses browsers): a request's body and its content type. */
export function jsonBody(body: unknown): { body?: string; headers?: Record<string, string> } {
  return body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } };
}

async function admin<T>(demoUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(demoUrl.replace(/\/$/, "") + path, { method, ...jsonBody(body), signal: AbortSignal.timeout(5000) });
  } catch {
    throw new Error(`The demo exchange at ${demoUrl} is not reachable. Is Keyward running with DEMO_EXCHANGE=on?`);
  }
  if (!res.ok) throw new Error(`The demo exchange refused (${res.status}).`);
  return (await res.json()) as T;
}

export async function mintDemoKey(demoUrl: string, req: DemoKeyRequest): Promise<{ apiKey: string; secret: string }> {
  const { accountId } = await admin<{ accountId: number }>(demoUrl, "POST", "/_demo/accounts", { balances: demoStartingBalances });
  return admin(demoUrl, "POST", "/_demo/keys", { accountId, permissions: { read: req.read, trade: req.trade, withdraw: req.withdraw, transfer: req.transfer ?? false }, ipRestrict: req.ipRestrict, ips: req.ipRestrict ? ["127.0.0.1", "::1"] : [] });
}

export async function deleteDemoKey(demoUrl: string, apiKey: string): Promise<void> {
  await admin(demoUrl, "DELETE", `/_demo/keys/${apiKey}`).catch(() => undefined);
}
