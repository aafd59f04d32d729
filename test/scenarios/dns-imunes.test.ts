// IMUNES's DNS+Mail+WEB lab: the .imn loaded and started (RIP converges), the lab's DNS
// files put on its nodes as its start_dns script does, named started on every DNS server,
// then test.sh's checks: `host zpmMail.zpm.fer.hr` and `host mm.tel.fer.hr` on every node.
// The secondaries (bRootServer, cRootServer, hr2) transfer their zones from their
// primaries by AXFR, as BIND does. Mail (postfix, dovecot) is not built: a warning.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';
import { runCommand } from '../../src/emulator/shell';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES } from '../support/paths';
import { CLIENTS, DNS_SERVERS, loadLabFiles, NAMEDB } from './dns-imunes-lab';

function lab(): World {
  const file = join(IMUNES_EXAMPLES, 'DNS+Mail+WEB_NETWORK.imn');
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  const w = new World(r.doc, { seed: 1 });
  w.sim.runUntil(120e9); // RIP converges
  loadLabFiles(w);
  return w;
}

describe('DNS+Mail+WEB_NETWORK.imn', () => {
  it('runs the lab DNS as in IMUNES: every node finds zpmMail.zpm.fer.hr and mm.tel.fer.hr', () => {
    const w = lab();
    for (const s of DNS_SERVERS) {
      const r = runCommand(w, s, `named -c ${NAMEDB}/named.conf`);
      expect(r.exitCode, s).toBe(0);
      // BIND says the same of the lab's in-addr.arpa zone: glue for names outside it is dropped.
      if (s === 'aRootServer') expect(r.output).toBe(`${NAMEDB}/in-addr.arpa:11: ignoring out-of-zone data (dnsTel.tel.fer.hr.)\n${NAMEDB}/in-addr.arpa:13: ignoring out-of-zone data (dnsZpm.zpm.fer.hr.)\n`);
      else expect(r.output, s).toBe('');
    }
    const failed: string[] = [];
    for (const n of [...DNS_SERVERS, ...CLIENTS]) {
      for (const name of ['zpmMail.zpm.fer.hr', 'mm.tel.fer.hr']) {
        const r = runCommand(w, n, `host ${name}`);
        if (r.exitCode !== 0) failed.push(`${n}: ${name}: ${r.output.trim()}`);
        else expect(r.output, `${n}: ${name}`).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')} has address (30\\.0\\.0\\.4|20\\.0\\.0\\.4)\\n`));
      }
    }
    expect(failed).toEqual([]);
    // The secondaries hold their zones by transfer from the primaries (AXFR over TCP).
    for (const [s, zone] of [['bRootServer', '.'], ['cRootServer', 'in-addr.arpa.'], ['hr2', 'hr.']]) {
      const n = w.nodeByName(s)!.named!;
      expect(n.zones.map((z) => z.zone.key), s).toContain(zone);
      expect(n.transfers.every((t) => t.lastError === null), s).toBe(true);
    }
    // aRootServer transfers its zones to the secondaries only (allow-transfer).
    expect(runCommand(w, 'pc', 'dig @1.0.0.2 . AXFR').output).toMatch(/; Transfer failed\.\n$/);
    // bRootServer refers to hr. from its transferred copy of the root zone, with glue.
    const referral = runCommand(w, 'pc', 'dig @2.0.0.2 www.hr. +norec').output;
    expect(referral).toContain(';; flags: qr ra; QUERY: 1, ANSWER: 0, AUTHORITY: 2, ADDITIONAL: 3\n');
    expect(referral).toContain(';; AUTHORITY SECTION:\nhr.\t\t\t60000\tIN\tNS\tdnsHr.hr.\nhr.\t\t\t60000\tIN\tNS\thr2.com.\n');
    expect(runCommand(w, 'pc', 'host www.zpm.fer.hr').output).toBe('www.zpm.fer.hr is an alias for zpmMail.zpm.fer.hr.\nzpmMail.zpm.fer.hr has address 30.0.0.4\n');
    expect(runCommand(w, 'pc', 'host 20.0.0.4').output).toBe('4.0.0.20.in-addr.arpa domain name pointer mm.tel.fer.hr.\n');
    // A node name is found as IMUNES's auto_etc_hosts would write it, before DNS.
    expect(runCommand(w, 'mm', 'ping -c 1 zpmMail').output).toMatch(/^PING zpmMail \(30\.0\.0\.4\)/);
    expect(runCommand(w, 'pc', 'ping -c 1 www.tel.fer.hr').output).toMatch(/^PING www\.tel\.fer\.hr \(20\.0\.0\.3\): 56 data bytes\n64 bytes from 20\.0\.0\.3: icmp_seq=0 ttl=6\d/);
    // A change on the primary reaches the secondary at its next SOA refresh (28 s in hr).
    const hr = nodeFiles(w.nodeByName('dnsHr')!);
    hr.write(`${NAMEDB}/hr`, `${hr.read(`${NAMEDB}/hr`)}new.hr. IN A 7.0.0.99\n`.replace('2002102801', '2002102802'));
    expect(runCommand(w, 'dnsHr', 'rndc reload').output).toBe('server reload successful\n');
    expect(runCommand(w, 'pc', 'dig @4.0.0.2 new.hr +norec +short').output).toBe('');
    w.sim.runUntil(w.sim.now() + 30e9);
    expect(runCommand(w, 'pc', 'dig @4.0.0.2 new.hr +norec +short').output).toBe('7.0.0.99\n');
    // Mail is not built: the lab's start_mail would run postfix, which this node does not have.
    expect(runCommand(w, 'zpmMail', 'postfix start')).toMatchObject({ exitCode: 127, output: 'sh: postfix: not found\n' });
  }, 60_000);

  it.skipIf(!tsharkAvailable())('the zone transfer (DNS over TCP) dissects in tshark with zero malformed packets', async () => {
    const w = lab();
    runCommand(w, 'aRootServer', `named -c ${NAMEDB}/named.conf`);
    const cap = w.startCapture({ kind: 'iface', node: 'bRootServer', iface: 'eth0' });
    runCommand(w, 'bRootServer', `named -c ${NAMEDB}/named.conf`);
    w.sim.runUntil(w.sim.now() + 2e9);
    cap.finish();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-axfr-')), 'axfr.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const rows = await tsharkFields(file, ['dns.qry.type', 'dns.count.answers']);
    expect(rows.filter((r) => r[0] === '252').map((r) => r[1])).toEqual(['0', '0', '16', '7']) // two AXFR queries, then the root zone (15 records + the closing SOA) and in-addr.arpa (6 + 1);
  }, 60_000);
});
