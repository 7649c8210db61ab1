/**
 * Which address a request comes from. The socket peer is the truth; `X-Forwarded-For` is believed
 * only when that peer is one of our own reverse proxies (TRUSTED_PROXIES), and then only up to the
 * first hop that is not a trusted proxy: anything left of it was written by the client itself.
 * Shared by every per-address limit (ballots, assistant questions, staff login throttling).
 */
import { isIP } from 'node:net';

/** One TRUSTED_PROXIES entry: an address or a CIDR range. */
export interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function toBigInt(address: string): { family: 4 | 6; value: bigint } | null {
  const plain = stripMappedIpv4(address.trim());
  const family = isIP(plain);
  if (family === 4) {
    const value = plain.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
    return { family: 4, value };
  }
  if (family === 6) {
    const [head = '', tail = ''] = plain.split('::');
    const parse = (part: string): string[] => (part ? part.split(':') : []);
    let headParts = parse(head);
    let tailParts = plain.includes('::') ? parse(tail) : [];
    const expand = (parts: string[]): string[] =>
      parts.flatMap((part) => {
        if (!part.includes('.')) return [part];
        const v4 = part.split('.').map(Number);
        return [(((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16), (((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16)];
      });
    headParts = expand(headParts);
    tailParts = expand(tailParts);
    const missing = 8 - headParts.length - tailParts.length;
    const groups = [...headParts, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...tailParts];
    const value = groups.reduce((acc, group) => (acc << 16n) + BigInt(parseInt(group || '0', 16)), 0n);
    return { family: 6, value };
  }
  return null;
}

/** `::ffff:10.0.0.1` is how a dual-stack socket reports an IPv4 peer. */
export function stripMappedIpv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

/** Parses "10.0.0.1, 192.168.0.0/16, ::1" into matchers; throws on a bad entry (a config mistake). */
export function parseTrustedProxies(list: string): Cidr[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address = '', prefixText] = entry.split('/');
      const parsed = toBigInt(address);
      if (!parsed) throw new Error(`TRUSTED_PROXIES 中的地址无效：${entry}`);
      const width = parsed.family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? width : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > width)
        throw new Error(`TRUSTED_PROXIES 中的前缀无效：${entry}`);
      return { family: parsed.family, bits: parsed.value >> BigInt(width - prefix), prefix };
    });
}

export function isTrusted(address: string, proxies: readonly Cidr[]): boolean {
  const parsed = toBigInt(address);
  if (!parsed) return false;
  const width = parsed.family === 4 ? 32 : 128;
  return proxies.some(
    (cidr) => cidr.family === parsed.family && parsed.value >> BigInt(width - cidr.prefix) === cidr.bits,
  );
}

/**
 * The client's address: the socket peer, or — when the peer is a trusted proxy — the right-most
 * `X-Forwarded-For` entry that is not itself a trusted proxy.
 */
export function resolveClientAddress(
  socketAddress: string,
  forwardedFor: string | null,
  proxies: readonly Cidr[],
): string {
  const peer = stripMappedIpv4(socketAddress);
  if (!forwardedFor || !isTrusted(peer, proxies)) return peer;
  const hops = forwardedFor
    .split(',')
    .map((hop) => stripMappedIpv4(hop.trim()))
    .filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index] as string;
    if (isIP(hop) === 0) return peer;
    if (!isTrusted(hop, proxies)) return hop;
  }
  return hops[0] ?? peer;
}
