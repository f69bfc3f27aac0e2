/**
 * Where alerts may be sent (issue 12, "Safety"). A webhook URL is chosen by a
 * user, so the server must not become a way to reach what only it can reach:
 * link-local and cloud-metadata addresses are always refused; loopback is
 * allowed by default (self-hosted receivers on the same machine), other
 * private ranges only when ALERTS_PRIVATE_ADDRESSES=private; =none refuses both.
 * Names are resolved at send time and the connection goes to the address that
 * was checked (see ./http-post.ts), so a name cannot change its answer in between.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export type PrivateAddressPolicy = "loopback" | "private" | "none";

const metadataAddresses = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200"]);
const metadataNames = new Set(["metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"]);

/** Why `ip` may not be sent to, or null when it may. */
export function refusedAddress(ip: string, policy: PrivateAddressPolicy): string | null {
  if (!ipaddr.isValid(ip)) return `${ip} is not an IP address`;
  const addr = ipaddr.process(ip); // an IPv4-mapped IPv6 address is judged as the IPv4 one
  const text = addr.toString();
  if (metadataAddresses.has(text)) return `${text} is a cloud metadata address`;
  const range = addr.range();
  if (range === "linkLocal") return `${text} is a link-local address`;
  if (["unspecified", "broadcast", "multicast", "reserved", "benchmarking", "amt", "as112", "as112v6", "deprecated", "orchid2", "droneRemoteIdProtocolEntityTags"].includes(range)) return `${text} is not a public unicast address`;
  if (range === "loopback") return policy === "none" ? `${text} is a loopback address (ALERTS_PRIVATE_ADDRESSES=none)` : null;
  if (["private", "uniqueLocal", "carrierGradeNat"].includes(range)) return policy === "private" ? null : `${text} is a private address (allowed only with ALERTS_PRIVATE_ADDRESSES=private)`;
  return null;
}

/** Checks a host name's form (a literal address is judged at once; a name when it is resolved). */
export function refusedHost(host: string, policy: PrivateAddressPolicy): string | null {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (metadataNames.has(bare)) return `${bare} is a cloud metadata host`;
  if (ipaddr.isValid(bare)) return refusedAddress(bare, policy);
  if (!/^[a-z0-9.-]{1,253}$/.test(bare)) return `${host} is not a valid host name`;
  return null;
}

/** Whether `host` names this machine (a literal loopback address or "localhost"): where a secret may travel unencrypted. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === "loopback";
}

/** Resolves `host` and checks every address it has; answers the first one. */
export async function resolveChecked(host: string, policy: PrivateAddressPolicy): Promise<{ address: string; family: number }> {
  const early = refusedHost(host, policy);
  if (early) throw new Error(`Refused: ${early}.`);
  const bare = host.replace(/^\[|\]$/g, "");
  const all = ipaddr.isValid(bare) ? [{ address: bare, family: bare.includes(":") ? 6 : 4 }] : await lookup(bare, { all: true }).catch(() => {
    throw new Error(`Could not resolve ${bare}.`);
  });
  for (const a of all) {
    const why = refusedAddress(a.address, policy);
    if (why) throw new Error(`Refused: ${bare} resolves to ${why}.`);
  }
  return all[0]!;
}

/** A URL an alert may be posted to: http or https, no credentials in it, an allowed host. */
export function checkTargetUrl(raw: string, policy: PrivateAddressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, e.g. https://example.com/hook.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http:// and https:// URLs are allowed.";
  if (url.username || url.password) return "Put no user name or password in the URL; use the secret to sign requests instead.";
  const why = refusedHost(url.hostname, policy);
  return why ? `That address is not allowed: ${why}.` : null;
}
