// Tab completion for the node shell, kept apart from the tools as bash-completion is:
// the word before the cursor becomes a command name, a flag of the current command, an
// interface of this node, a node name or address, a path of the node's files, or a keyword
// the command takes.
// Pure: reads the world, never changes it, never runs a command.

import type { NodeRuntime, World } from '../engine/world';
import { formatIpv4 } from '../wire/addr';
import type { NodeFiles } from '../node/files';
import { SYSCTL_NAMES } from './commands/sysctl';
import { JOB_BUILTINS } from './jobs';
import type { CommandSpec, Completion } from './types';

/** What an operand position holds. */
type Operand = 'host' | 'route-dest' | 'iface' | 'none' | readonly string[];

interface Spec {
  /** The command's flags, as a getopt string (`c:i:n`): the letters are offered as `-c`. */
  flags: string;
  /** Flags offered whole (words such as `-net`), beside the getopt letters. */
  longFlags?: readonly string[];
  /** What the next operand is, given the operands before it. */
  operand(prev: readonly string[]): Operand;
}

const IFCONFIG_WORDS = ['inet', 'inet6', 'netmask', 'alias', '-alias', 'delete', 'up', 'down', 'mtu', 'broadcast', 'accept_rtadv', '-accept_rtadv', '-ifdisabled'];
const IP_OBJECTS = ['address', 'route', 'neigh', 'link', 'help'];
const IP_VERBS: Readonly<Record<string, readonly string[]>> = {
  address: ['show', 'add', 'del', 'flush'],
  route: ['show', 'add', 'del', 'get', 'flush'],
  neigh: ['show', 'flush'],
  link: ['show', 'set'],
};

/** Completion specs by command name; a command without one completes nothing after its name. */
const SPECS: Readonly<Record<string, Spec>> = {
  ping: { flags: 'c:fi:m:nqs:t:vW:', operand: (p) => (p.length === 0 ? 'host' : 'none') },
  traceroute: { flags: 'df:m:np:q:vw:', operand: (p) => (p.length === 0 ? 'host' : 'none') },
  ifconfig: { flags: 'al', operand: (p) => (p.length === 0 ? 'iface' : IFCONFIG_WORDS) },
  route: {
    flags: 'n',
    longFlags: ['-net', '-host', '-netmask'],
    operand: (p) => (p.length === 0 ? ['add', 'delete', 'get', 'show', 'flush'] : p[0] === 'flush' ? 'none' : p.length === 1 ? 'route-dest' : 'host'),
  },
  netstat: { flags: 'rnisaW4', operand: () => 'none' },
  rtadvd: { flags: 'dDfRs', operand: () => 'iface' },
  rtsol: { flags: 'dDF', operand: () => 'iface' },
  arp: { flags: 'andsS', operand: (p) => (p.length === 0 ? 'host' : 'none') },
  sysctl: { flags: 'an', operand: () => SYSCTL_NAMES },
  service: { flags: 'l', operand: (p) => (p.length === 0 ? ['dhcpd', 'dhclient', 'dhcrelay'] : p.length === 1 ? ['start', 'stop', 'status', 'restart'] : p[0] === 'dhclient' && p.length === 2 ? 'iface' : 'none') },
  dhclient: { flags: 'r', operand: (p) => (p.length === 0 ? 'iface' : 'none') },
  dhcpd: { flags: 'q', operand: () => 'iface' },
  dhcrelay: { flags: 'i:', operand: () => 'host' },
  ip: {
    flags: '4',
    longFlags: ['-br'],
    operand(p) {
      if (p.length === 0) return IP_OBJECTS;
      const obj = IP_OBJECTS.find((o) => p[0].length > 0 && o.startsWith(p[0]));
      if (p.length === 1) return (obj && IP_VERBS[obj]) || 'none';
      if (p[p.length - 1] === 'dev') return 'iface';
      if (obj === 'route' && p[p.length - 1] === 'via') return 'host';
      if (obj === 'link' && p.length === 2 && p[1] === 'set') return 'iface';
      return obj === 'link' && p[1] === 'set' ? ['up', 'down', 'mtu'] : ['dev'];
    },
  },
  show: { flags: '', operand: (p) => (p.length === 0 ? ['mac-address-table'] : 'none') },
  help: { flags: '', operand: () => 'none' },
  sleep: { flags: '', operand: () => 'none' },
  iperf3: { flags: 'sc:p:t:i:P:Rn:D1ub:46', operand: () => 'none' },
  ps: { flags: 'auxw', operand: () => 'none' },
  sockstat: { flags: '46clsu', operand: () => 'none' },
  fetch: { flags: 'o:qv46', operand: () => 'none' },
  curl: { flags: 'so:Iv6', operand: () => 'none' },
  tcpdump: {
    flags: 'i:c:nvelpqs:',
    operand: (p) => (p[p.length - 1] === 'host' ? 'host' : ['host', 'net', 'port', 'src', 'dst', 'tcp', 'udp', 'icmp', 'icmp6', 'ip', 'ip6', 'arp', 'and', 'or', 'not']),
  },
  host: { flags: 't:W:R:', operand: (p) => (p.length === 0 ? 'none' : p.length === 1 ? 'host' : 'none') },
  dig: { flags: 't:x:', operand: (p) => (p.length === 1 ? ['A', 'AAAA', 'MX', 'NS', 'SOA', 'TXT', 'PTR', 'CNAME', 'ANY'] : 'none') },
  nslookup: { flags: '', operand: (p) => (p.length === 1 ? 'host' : 'none') },
  named: { flags: 'c:gf', operand: () => 'none' },
  rndc: { flags: '', operand: (p) => (p.length === 0 ? ['flush', 'reload', 'status', 'stop'] : 'none') },
};

/** Commands this node offers (what `help` lists). */
export function commandsFor(node: NodeRuntime, table: ReadonlyMap<string, CommandSpec>): string[] {
  return [...table.values()].filter((c) => (node.stack ? c.name !== 'show' : !c.needsStack)).map((c) => c.name).concat(JOB_BUILTINS.map((b) => b.name));
}

export function completeLine(world: World, node: NodeRuntime, table: ReadonlyMap<string, CommandSpec>, line: string, cursor: number): Completion {
  const at = Math.max(0, Math.min(line.length, Number.isInteger(cursor) ? cursor : line.length));
  let from = at;
  while (from > 0 && !' \t;&|'.includes(line[from - 1])) from--;
  const word = line.slice(from, at);
  let segStart = from;
  while (segStart > 0 && !';&|'.includes(line[segStart - 1])) segStart--;
  const before = line.slice(segStart, from).split(/[ \t]+/).filter((w) => w !== '');
  const pick = (all: Iterable<string>): Completion => ({ from, candidates: [...new Set(all)].filter((c) => c.startsWith(word)).sort() });
  if (before.length === 0) return pick(commandsFor(node, table));
  // A word starting with `/` (or after a redirection) is a path of this node's files, for any command.
  if (word.startsWith('/') && node.files !== undefined) return pick(pathWords(node.files, word));
  const spec = SPECS[before[0]];
  if (!spec || !commandsFor(node, table).includes(before[0])) return { from, candidates: [] };
  const args = before.slice(1);
  // The word after a flag that takes a value (`ping -c <Tab>`) is that value: nothing to offer.
  const last = args[args.length - 1];
  if (last && /^-[A-Za-z0-9]$/.test(last) && spec.flags.includes(`${last[1]}:`)) return { from, candidates: [] };
  if (word.startsWith('-')) return pick([...flagWords(spec.flags), ...(spec.longFlags ?? [])]);
  const operands = args.filter((a, i) => !a.startsWith('-') && !takesValue(spec, args[i - 1]));
  return pick(operandWords(world, node, spec.operand(operands), word));
}

/** Entries of the directory `word` is in, as whole paths (a directory with a trailing `/`). */
function pathWords(files: NodeFiles, word: string): string[] {
  const dir = word.slice(0, word.lastIndexOf('/') + 1);
  const list = files.list(dir === '' ? '/' : dir);
  if (!Array.isArray(list)) return [];
  return list.map((name) => (typeof files.read(dir + name) === 'string' ? dir + name : `${dir}${name}/`));
}

function flagWords(getoptSpec: string): string[] {
  return [...getoptSpec].filter((c) => c !== ':').map((c) => `-${c}`);
}

function takesValue(spec: Spec, prev: string | undefined): boolean {
  return prev !== undefined && /^-[A-Za-z0-9]$/.test(prev) && spec.flags.includes(`${prev[1]}:`);
}

function operandWords(world: World, node: NodeRuntime, kind: Operand, word: string): string[] {
  if (kind === 'none') return [];
  if (kind === 'iface') return node.stack ? node.stack.ifaces.map((i) => i.name) : node.ifaceNames.slice();
  if (kind === 'host' || kind === 'route-dest') {
    const hosts = /^[0-9]/.test(word) ? addresses(world) : world.nodes.filter((n) => n.stack).map((n) => n.name);
    return kind === 'route-dest' ? ['default', ...hosts] : hosts;
  }
  return kind.slice();
}

/** Every configured IPv4 address of every node (what `ping 10.<Tab>` may mean). */
function addresses(world: World): string[] {
  const out: string[] = [];
  for (const n of world.nodes) {
    for (const i of n.stack?.ifaces ?? []) {
      if (i.loopback) continue;
      for (const a of i.addrs) out.push(formatIpv4(a.addr));
    }
  }
  return out;
}
