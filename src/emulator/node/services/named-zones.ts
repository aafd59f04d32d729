// Loading named's zones from the node's files: each `zone` of named.conf read from its
// file (relative to `options { directory }`), parsed, checked, and kept; the hint zone
// becomes the root hints. A zone that fails to load is reported with its file and line and
// left out; the others keep serving, as BIND does.

import { DNS_TYPE, dnsNameKey, type DnsRecord } from '../../wire/dns';
import type { NodeFiles } from '../files';
import { fileErrorText } from '../files';
import { buildZone, inZone, type Zone } from './dns-zone';
import type { NamedConfig, ZoneConf } from './named-conf';
import type { NamedServer } from './named-types';
import { parseZoneFile } from './zone-file';

/** The zone file's absolute path: relative names are under `directory`. */
export function zonePath(cfg: NamedConfig, file: string): string {
  return file.startsWith('/') ? file : `${cfg.directory.replace(/\/$/, '')}/${file}`;
}

export interface LoadedZones {
  zones: { conf: ZoneConf; zone: Zone }[];
  /** Secondary zones with no copy on disk: to be transferred from their masters. */
  pending: ZoneConf[];
  hints: DnsRecord[];
  /** Located messages (`/path:12: …`). */
  problems: string[];
}

export function loadZones(cfg: NamedConfig, files: NodeFiles, confPath: string): LoadedZones {
  const out: LoadedZones = { zones: [], pending: [], hints: [], problems: [] };
  for (const z of cfg.zones) {
    if (z.type === 'forward' || z.file === null) continue;
    const path = zonePath(cfg, z.file);
    const text = files.read(path);
    if (typeof text !== 'string') {
      // A secondary with no copy yet transfers it from its master (named-xfer.ts).
      if (z.type === 'slave') out.pending.push(z);
      else out.problems.push(`${confPath}:${z.line}: zone '${z.name}': loading from master file ${z.file} failed: ${fileErrorText('open', text).replace(/^open: [^:]*: /, '')}`);
      continue;
    }
    const parsed = parseZoneFile(text, z.name);
    for (const p of parsed.problems) out.problems.push(`${path}:${p.line}: ${p.message}`);
    if (z.type === 'hint') {
      out.hints = parsed.records.filter((r) => r.type === DNS_TYPE.NS || r.type === DNS_TYPE.A);
      if (!out.hints.some((r) => r.type === DNS_TYPE.NS)) out.problems.push(`${path}:1: no NS records for '.' in the hint file: recursion has no root servers`);
      continue;
    }
    const built = buildZone(z.name, parsed.records, true);
    for (const p of built.problems) out.problems.push(p.line > 0 ? `${path}:${p.line}: ${p.message}` : `${confPath}:${z.line}: ${p.message}: not loaded`);
    if (built.zone) out.zones.push({ conf: z, zone: built.zone });
  }
  return out;
}

/** The most specific zone this server is authoritative for that contains `name`. */
export function findZone(d: NamedServer, name: string): { conf: ZoneConf; zone: Zone } | null {
  const k = dnsNameKey(name);
  let best: { conf: ZoneConf; zone: Zone } | null = null;
  for (const z of d.zones) if (inZone(k, z.zone.key) && (best === null || z.zone.key.length > best.zone.key.length)) best = z;
  return best;
}
