// Field validators shared by the edit operations, the .vnet schema and the properties
// panel: each returns null when the value is acceptable or a sentence saying why not.
// Refuse, never clamp. Names follow IMUNES link semantics (ber = one error in N bits).

import type { LinkParams } from './document';
import { parseCidr, parseIpv4 } from '../wire/addr';
import { isIpv6Text, isMacText } from './addr-text';
import { quoteText } from './diagnostics';

export type LinkParamField = keyof LinkParams;

export const LINK_PARAM_FIELDS: readonly LinkParamField[] = [
  'bandwidthBps', 'delayUs', 'jitterUs', 'lossPercent', 'berOneIn', 'dupPercent', 'queuePackets',
] as const;

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Why `value` is not acceptable for link parameter `field`, or null when it is. */
export function validateLinkParam(field: string, value: unknown): string | null {
  if (!isNum(value)) return `${field} must be a number`;
  switch (field) {
    case 'bandwidthBps':
      return Number.isInteger(value) && value >= 0 ? null : 'bandwidth must be a whole number of bit/s, 0 or more (0 = unlimited)';
    case 'delayUs':
      return value >= 0 ? null : 'delay must be 0 µs or more';
    case 'jitterUs':
      return value >= 0 ? null : 'jitter must be 0 µs or more';
    case 'lossPercent':
      return value >= 0 && value <= 100 ? null : 'loss must be between 0 and 100 %';
    case 'dupPercent':
      return value >= 0 && value <= 100 ? null : 'duplication must be between 0 and 100 %';
    case 'berOneIn':
      return value === 0 || value >= 1 ? null : 'BER is "one error in N bits": 0 (none) or N ≥ 1';
    case 'queuePackets':
      return Number.isInteger(value) && value >= 1 ? null : 'queue length must be a whole number of packets, at least 1';
    default:
      return `unknown link parameter ${quoteText(field)}`;
  }
}

/** First problem in a partial set of link parameters, or null. */
export function validateLinkParams(p: Partial<LinkParams>): string | null {
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    const why = validateLinkParam(k, v);
    if (why) return why;
  }
  return null;
}

/** Dotted quad, digits only: the wire parser's Number() would also take blanks and "0x". */
const DOTTED = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function validateIpv4Cidr(s: string): string | null {
  const c = parseCidr(s);
  if (!c || !/^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/.test(s)) return `${quoteText(s)} is not an IPv4 address with prefix length (like 10.0.0.20/24)`;
  return null;
}

export function validateIpv4(s: string): string | null {
  return parseIpv4(s) === null || !DOTTED.test(s) ? `${quoteText(s)} is not an IPv4 address` : null;
}

export function validateIpv6Cidr(s: string): string | null {
  return isIpv6Text(s, true) ? null : `${quoteText(s)} is not an IPv6 address with prefix length (like fc00::20/64)`;
}

export function validateMac(s: string): string | null {
  return isMacText(s) ? null : `${quoteText(s)} is not a MAC address (like 42:00:aa:00:00:01)`;
}

export function validateMtu(mtu: number): string | null {
  return Number.isInteger(mtu) && mtu >= 68 && mtu <= 65535 ? null : 'MTU must be a whole number of bytes between 68 and 65535';
}

/** Node names become shell prompts and CLI selectors: keep them simple. */
export function validateNodeName(name: string): string | null {
  if (name.length === 0) return 'name must not be empty';
  if (name.length > 64) return 'name must be at most 64 characters';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return 'name may contain only letters, digits, "-", "_" and "." and must start with a letter or digit';
  return null;
}

/** IPv4 route destination `A/L` (or IPv6 when v6) plus gateway address. */
export function validateRoute(dest: string, gateway: string, v6: boolean): string | null {
  if (v6) return validateIpv6Cidr(dest) ?? (isIpv6Text(gateway, false) ? null : `${quoteText(gateway)} is not an IPv6 gateway`);
  return validateIpv4Cidr(dest) ?? validateIpv4(gateway);
}
