import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a webhook may point (SSRF): https in production, and never an address inside the server's
 * own networks — loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * multicast, unique-local IPv6 and the other special-purpose ranges — unless the operator allows
 * private targets (WEBHOOK_ALLOW_PRIVATE_TARGETS). Checked at registration (the URL and what its
 * host resolves to now) and again at every send on the address the connection actually uses
 * ({@link guardedLookup}), so a name that resolves elsewhere later (DNS rebinding) is refused.
 */

export interface TargetRules {
  /** NODE_ENV=production: https only. */
  production: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS. */
  allowPrivate: boolean;
}

/** Why a URL is refused (the API's message names it). */
export type TargetProblem = 'not_url' | 'https_required' | 'credentials' | 'private_address' | 'unresolvable';

export const targetProblemText: Record<TargetProblem, string> = {
  not_url: 'The webhook URL must be an http:// or https:// URL.',
  https_required: 'The webhook URL must use https:// in production.',
  credentials: 'The webhook URL must not contain a user name or password.',
  private_address:
    'The webhook URL points at a loopback, private, link-local or other non-public address (WEBHOOK_ALLOW_PRIVATE_TARGETS is off).',
  unresolvable: 'The host name of the webhook URL does not resolve.',
};

/** IANA special-purpose ranges (RFC 6890 and successors) a webhook may not reach. */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds any IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped, -compatible or NAT64), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1] ?? null;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1] ?? '0', 16);
  const low = parseInt(hex[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True when `address` (an IP address) is a public unicast address a webhook may reach. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return !blocked.check(address, 'ipv4');
  if (version !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4 !== null) return isIP(v4) === 4 && !blocked.check(v4, 'ipv4');
  return !blocked.check(address, 'ipv6');
}

/** The host of a URL as an address or a name (IPv6 without its brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The checks that need no DNS: the scheme, no credentials, and a literal address or `localhost`.
 * Returns the parsed URL, or the problem.
 */
export function checkTargetUrl(text: string, rules: TargetRules): URL | TargetProblem {
  if (!URL.canParse(text)) return 'not_url';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not_url';
  if (rules.production && url.protocol !== 'https:') return 'https_required';
  if (url.username || url.password) return 'credentials';
  if (rules.allowPrivate) return url;
  const host = hostOf(url).toLowerCase();
  if (isIP(host) !== 0) return isPublicAddress(host) ? url : 'private_address';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'private_address';
  return url;
}

type Resolve = (host: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/**
 * The registration's check: {@link checkTargetUrl}, then (unless private targets are allowed) every
 * address the host resolves to now must be public. Returns null when the URL is accepted.
 */
export async function findTargetProblem(
  text: string,
  rules: TargetRules,
  resolve: Resolve = resolveAll,
): Promise<TargetProblem | null> {
  const url = checkTargetUrl(text, rules);
  if (typeof url === 'string') return url;
  const host = hostOf(url);
  if (rules.allowPrivate || isIP(host) !== 0) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return 'unresolvable';
  }
  if (!addresses.length) return 'unresolvable';
  return addresses.every((entry) => isPublicAddress(entry.address)) ? null : 'private_address';
}

/** Thrown by {@link guardedLookup} for a host that resolves to a refused address. */
export class PrivateTargetError extends Error {
  override name = 'PrivateTargetError';
  readonly code = 'EWEBHOOKPRIVATE';
}

/**
 * The `lookup` of the request that sends a webhook: resolves the host, refuses it when any of its
 * addresses is not public (unless allowed), and hands the socket exactly the addresses it checked,
 * so the connection cannot go anywhere else (no second resolution between check and connect).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options === 'number' ? options : (options.family ?? 0);
    const all = typeof options === 'object' && options.all === true;
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
      const usable = addresses.filter((entry) => wanted === 0 || entry.family === wanted);
      if (!usable.length)
        return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 0);
      if (!allowPrivate && !usable.every((entry) => isPublicAddress(entry.address))) {
        return callback(new PrivateTargetError(`${hostname} resolves to a non-public address`), '', 0);
      }
      if (all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      const first = usable[0]!;
      callback(null, first.address, first.family);
    });
  };
}
