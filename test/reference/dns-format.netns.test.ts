// VirtNet's dig, host and nslookup against BIND 9's, each asking a name server loaded
// with the same named.conf and zone file: the real named in a Linux network namespace,
// VirtNet's named on a node. Outputs must agree line for line once the query id, the
// times and dig's version banner are masked (MSG SIZE included: same bytes on the wire).
// Needs root, iproute2 and Debian's bind9 + bind9-dnsutils; elsewhere it skips with one line.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';
import { runCommand } from '../../src/emulator/shell';
import { EXAMPLE_ZONE } from '../scenarios/dns-lab';
import { builder } from '../scenarios/topologies';
import { netnsUnavailable, removeStaleNamespaces, removeTree, stopChild } from './netns';

function have(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const why = netnsUnavailable() ?? (['named', 'dig', 'host', 'nslookup'].every(have) ? null : 'BIND not installed (apt-get install bind9 bind9-dnsutils)');
if (why !== null) console.warn(`dns-format reference vs BIND skipped: ${why}`);

const SERVER = '10.53.0.1';
const CONF = (dir: string): string => `options {\n\tdirectory "${dir}";\n\trecursion no;\n\tdnssec-validation no;\n\tlisten-on { ${SERVER}; };\n\tpid-file none;\n};\nzone "example.lab" {\n\ttype master;\n\tfile "example.lab";\n};\nzone "0.53.10.in-addr.arpa" {\n\ttype master;\n\tfile "rev";\n};\n`;
const REV_ZONE = '$TTL 3600\n@ IN SOA ns1.example.lab. hostmaster.example.lab. ( 1 3600 600 86400 30 )\n  IN NS ns1.example.lab.\n5 IN PTR www.example.lab.\n';

const RESOLVER = '10.53.0.3';
/** A recursive server forwarding to SERVER (BIND's controls off so two instances can run). */
const RESOLVER_CONF = (dir: string): string => `options {\n\tdirectory "${dir}";\n\trecursion yes;\n\tdnssec-validation no;\n\tlisten-on { ${RESOLVER}; };\n\tpid-file none;\n\tforwarders { ${SERVER}; };\n\tforward only;\n};\ncontrols { };\n`;

/** Through the recursive server: each name asked once (BIND's cache outlives a test; TTLs are masked). */
const RECURSIVE = [
  `dig @${RESOLVER} www.example.lab +nocookie`,
  `nslookup alias.example.lab ${RESOLVER}`,
  `host mail.example.lab ${RESOLVER}`,
  `nslookup nosuch.example.lab ${RESOLVER}`,
  `dig @${RESOLVER} nosuch2.example.lab +nocookie`,
];

const QUERIES = [
  `dig @${SERVER} www.example.lab +nocookie`,
  `dig @${SERVER} www.example.lab +norec +nocookie`,
  `dig @${SERVER} alias.example.lab +nocookie`,
  `dig @${SERVER} nosuch.example.lab +nocookie`,
  `dig @${SERVER} example.lab MX +nocookie`,
  `dig @${SERVER} example.lab NS +norec +nocookie`,
  `dig @${SERVER} text.example.lab TXT +nocookie`,
  `dig @${SERVER} example.lab SOA +nocookie`,
  `dig @${SERVER} alias.example.lab +short`,
  `dig @${SERVER} example.lab AXFR +nocookie`,
  `dig @${SERVER} other.lab AXFR +nocookie`,
  `dig @${SERVER} -x 10.53.0.5 +nocookie`,
  `host www.example.lab ${SERVER}`,
  `host 10.53.0.5 ${SERVER}`,
  `host 10.53.0.9 ${SERVER}`,
  `host alias.example.lab ${SERVER}`,
  `host example.lab ${SERVER}`,
  `host nosuch.example.lab ${SERVER}`,
  `host -t TXT text.example.lab ${SERVER}`,
  `host -t NS example.lab ${SERVER}`,
  `nslookup www.example.lab ${SERVER}`,
  `nslookup alias.example.lab ${SERVER}`,
  `nslookup nosuch.example.lab ${SERVER}`,
  `nslookup example.lab ${SERVER}`,
  `nslookup 10.53.0.5 ${SERVER}`,
  `nslookup 10.53.0.9 ${SERVER}`,
  `host nosuch.example.lab. ${SERVER}`,
];

/** Masks what differs by nature: ids, times, dates and the version in dig's banner. */
function normalize(text: string): string {
  return text
    .replace(/id: \d+/g, 'id: N')
    .replace(/Query time: \d+ msec/g, 'Query time: T msec')
    .replace(/;; WHEN: .*/g, ';; WHEN: D')
    .replace(/<<>> DiG [^ ]+ <<>>/g, '<<>> DiG V <<>>')
    .replace(/\t\d+\tIN\t/g, '\tTTL\tIN\t');
}

describe.skipIf(why !== null)('dig, host and nslookup: VirtNet vs BIND 9 (network namespace)', () => {
  const ns = `vnref${process.pid}-dns`;
  const dir = mkdtempSync(join(tmpdir(), 'vnref-dns-'));
  let named: ChildProcess | null = null;
  let resolver: ChildProcess | null = null;
  const rdir = mkdtempSync(join(tmpdir(), 'vnref-dns-r-'));
  const inNs = (cmd: string): { out: string; code: number } => {
    try {
      return { out: execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8', timeout: 20_000 }), code: 0 };
    } catch (e) {
      const x = e as { stdout?: string; status?: number };
      return { out: x.stdout ?? '', code: x.status ?? -1 };
    }
  };
  const world = (): World => {
    const b = builder();
    const srv = b.node('host', 'server');
    const cli = b.node('pc', 'client');
    const res = b.node('host', 'resolver');
    const sw = b.node('lanswitch', 'sw');
    b.link(srv, sw, { aIp: `${SERVER}/24` });
    b.link(cli, sw, { aIp: '10.53.0.2/24' });
    b.link(res, sw, { aIp: `${RESOLVER}/24` });
    const w = new World(b.doc, { seed: 3 });
    nodeFiles(w.nodeByName('resolver')!).write('/usr/local/etc/namedb/named.conf', RESOLVER_CONF('/usr/local/etc/namedb'));
    expect(runCommand(w, 'resolver', 'named').output).toBe('');
    const f = nodeFiles(w.nodeByName('server')!);
    f.write('/usr/local/etc/namedb/named.conf', CONF('/usr/local/etc/namedb'));
    f.write('/usr/local/etc/namedb/example.lab', EXAMPLE_ZONE);
    f.write('/usr/local/etc/namedb/rev', REV_ZONE);
    expect(runCommand(w, 'server', 'named').output).toBe('');
    return w;
  };

  beforeAll(async () => {
    removeStaleNamespaces();
    writeFileSync(join(dir, 'named.conf'), CONF(dir));
    writeFileSync(join(dir, 'example.lab'), EXAMPLE_ZONE);
    writeFileSync(join(dir, 'rev'), REV_ZONE);
    execFileSync('ip', ['netns', 'add', ns]);
    for (const args of [['link', 'set', 'lo', 'up'], ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['addr', 'add', `${SERVER}/24`, 'dev', 'v0'], ['addr', 'add', '10.53.0.2/24', 'dev', 'v1'], ['link', 'set', 'v0', 'up'], ['link', 'set', 'v1', 'up']]) execFileSync('ip', ['-n', ns, ...args]);
    named = spawn('ip', ['netns', 'exec', ns, 'named', '-g', '-u', 'root', '-c', join(dir, 'named.conf')], { stdio: 'ignore' });
    writeFileSync(join(rdir, 'named.conf'), RESOLVER_CONF(rdir));
    execFileSync('ip', ['-n', ns, 'addr', 'add', `${RESOLVER}/24`, 'dev', 'v0']);
    resolver = spawn('ip', ['netns', 'exec', ns, 'named', '-g', '-u', 'root', '-c', join(rdir, 'named.conf')], { stdio: 'ignore' });
    for (let k = 0; k < 50; k++) {
      const up = (srv: string): boolean => inNs(`dig +time=1 +tries=1 +short @${srv} ns1.example.lab`).out.trim() === '10.0.3.2';
      if (up(SERVER) && up(RESOLVER)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the reference named did not start');
  }, 30_000);

  afterAll(async () => {
    await Promise.all([stopChild(named), stopChild(resolver)]);
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      /* already gone */
    }
    removeTree(dir);
    removeTree(rdir);
  }, 15_000);

  for (const q of [...QUERIES, ...RECURSIVE]) {
    it(q, () => {
      const bind = inNs(q);
      const w = world();
      const ours = runCommand(w, 'client', q);
      expect(normalize(ours.output)).toBe(normalize(bind.out));
      expect(ours.exitCode).toBe(bind.code);
    });
  }
});
