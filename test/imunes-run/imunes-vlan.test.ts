// IMUNES VLAN lab (functional_tests_vlanswitch_topo.imn): switch1 filters VLANs (e0 access
// 4 to pc-4, e1 access 6 to pc-6, e2 trunk to host with vlan0 = tag 4, 10.0.0.10). IMUNES
// semantics (IEEE 802.1Q): pc-4 reaches host's vlan0 and NOT pc-6. VirtNet emulates that
// (node/bridge.ts VLAN filtering, stack VLAN sub-interfaces); silently bridging was the old bug.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMUNES_EXAMPLES, parsePing, runJson } from './cli-run';

const FILE = join(IMUNES_EXAMPLES, 'functional_tests_vlanswitch_topo.imn');

describe('IMUNES VLAN switch lab', () => {
  it('runs: both pings finish without a crash (exit 0 or 1, never 2/70)', async () => {
    const run = await runJson(FILE, ['pc-4: ping -c 1 -t 2 10.0.0.10', 'pc-4: ping -c 1 -t 2 10.0.0.21']);
    expect([0, 1], run.stderr).toContain(run.code);
    for (const r of run.results) expect(parsePing(r.output).transmitted, r.output).toBe(1);
  });

  // switch1 is an 802.1Q bridge (access e0/e1, trunk e2) and host's vlan0 is a tagged
  // sub-interface of eth0: VLAN 4 reaches the host, VLAN 6 stays apart, and nothing VLAN-related
  // is reported as not running (nor IPv6, which runs too).
  it('isolates VLAN 4 from VLAN 6 and reaches host vlan0 over the trunk, as IMUNES does', async () => {
    const run = await runJson(FILE, ['pc-4: ping -c 1 -t 2 10.0.0.10', 'pc-4: ping -c 1 -t 2 10.0.0.21', 'host: ping -c 1 -t 2 10.0.0.20', 'pc-6: ping -c 1 -t 2 10.0.0.10']);
    const [toHost, toPc6, hostToPc4, pc6ToHost] = run.results.map((r) => parsePing(r.output).received);
    expect({ toHost, toPc6, hostToPc4, pc6ToHost }, run.stderr).toEqual({ toHost: 1, toPc6: 0, hostToPc4: 1, pc6ToHost: 0 });
    expect(run.code).toBe(1); // the isolated pings fail
    const warnings = run.stderr.split('\n').filter((l) => l.includes('warning:'));
    expect(warnings.filter((l) => /\bVLANs?\b|802\.1Q|vlan_tag/i.test(l.split('warning:')[1] ?? '')), run.stderr).toEqual([]);
    expect(warnings.filter((l) => /IPv6/.test(l))).toEqual([]);
  });

  it('shows the switch table per VLAN', async () => {
    const run = await runJson(FILE, ['pc-4: ping -c 1 -t 2 10.0.0.10', 'switch1: show mac-address-table']);
    const table = run.results[1]!.output;
    expect(table).toMatch(/^Vlan  Mac Address/m);
    expect(table).toMatch(/^\s+4  42:00:aa:00:00:00  e0 /m);
    expect(table).toMatch(/^\s+4  42:00:aa:00:00:02  e2 /m);
  });
});
