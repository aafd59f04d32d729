// Scenario tests: traceroute hop lists through the sample 4-router chain, and switch
// learning versus hub flooding measured at a third PC.
import { describe, expect, it } from 'vitest';
import { nodeSnapshot } from '../../src/emulator/engine/inspect';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { lan } from './topologies';
import { loadSample, recordTraffic, setAllLinks } from './samples';

function hopAddresses(output: string): string[] {
  return output
    .split('\n')
    .slice(1)
    .filter((l) => /^ ?\d+ /.test(l))
    .map((l) => l.trim().split(/\s+/)[1]);
}

describe('traceroute scenarios', () => {
  it('lists every router of the 4-router chain, then the destination', () => {
    const w = new World(setAllLinks(loadSample('router-chain-4.vnet'), { delayUs: 1000 }));
    const r = runCommand(w, 'pc1', 'traceroute -n 10.0.4.20');
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n')[0]).toBe('traceroute to 10.0.4.20 (10.0.4.20), 64 hops max, 40 byte packets');
    expect(hopAddresses(r.output)).toEqual(['10.0.0.1', '10.0.1.2', '10.0.2.2', '10.0.3.2', '10.0.4.20']);
    // Hop k answers after k links each way at 1 ms per link; a hop's first probe also
    // waits for the next router's ARP, so only the second and third are exact.
    expect(r.output).toMatch(/\n 3  10\.0\.2\.2  \d+\.\d{3} ms  6\.000 ms  6\.000 ms\n/);
    expect(r.output).toMatch(/\n 5  10\.0\.4\.20  \d+\.\d{3} ms  10\.000 ms  10\.000 ms\n$/);
    // Without -n, names come from the lab's hosts table (node names), as /etc/hosts would give.
    const named = runCommand(w, 'pc1', 'traceroute -q 1 pc2');
    expect(named.output).toMatch(/^traceroute to pc2 \(10\.0\.4\.20\), 64 hops max, 40 byte packets\n 1  router1 \(10\.0\.0\.1\)  2\.000 ms\n/);
    expect(named.output).toMatch(/\n 5  pc2 \(10\.0\.4\.20\)  10\.000 ms\n$/);
    const back = runCommand(w, 'pc2', 'traceroute -n -q 1 10.0.0.20');
    expect(hopAddresses(back.output)).toEqual(['10.0.4.1', '10.0.3.1', '10.0.2.1', '10.0.1.1', '10.0.0.20']);
  });

  it('shows * for a silent hop and stops at -m', () => {
    const w = new World(loadSample('router-chain-4.vnet'));
    // router2 stops forwarding: it still answers TTL-expired probes? No: a host drops them silently.
    runCommand(w, 'router2', 'sysctl net.inet.ip.forwarding=0');
    const r = runCommand(w, 'pc1', 'traceroute -n -m 3 -w 1 10.0.4.20');
    const lines = r.output.split('\n');
    expect(lines[1]).toBe(' 1  10.0.0.1  0.000 ms  0.000 ms  0.000 ms');
    expect(lines[3]).toBe(' 3  * * *');
    expect(lines).toHaveLength(5);
  });

  it('records the probes that reach the destination as answered, not as drops', () => {
    const w = new World(loadSample('pc-router-pc.vnet'));
    const events = recordTraffic(w);
    const r = runCommand(w, 'pc1', 'traceroute -n 10.0.1.20');
    expect(r.output).toMatch(/\n 2  10\.0\.1\.20 /);
    const pc2 = w.nodeByName('pc2')!.id;
    expect(events.filter((e) => e.node === pc2 && e.action === 'drop')).toEqual([]);
    const answered = events.filter((e) => e.node === pc2 && e.action === 'deliver');
    expect(answered.map((e) => [e.iface, e.proto, e.reason])).toEqual(Array(3).fill(['eth0', 'udp', 'port unreachable (as traceroute expects)']));
    // The same frame arrived (rx) and was answered: one frame id for both.
    const rx = events.filter((e) => e.node === pc2 && e.action === 'rx' && e.proto === 'udp').map((e) => e.frame);
    expect(answered.map((e) => e.frame)).toEqual(rx);
  });

  it('annotates !H when the last router cannot resolve the host', () => {
    const w = new World(loadSample('pc-router-pc.vnet'));
    const r = runCommand(w, 'pc1', 'traceroute -n 10.0.1.99');
    // The first probe is held while the router's ARP fails (*); later ones get !H at once.
    expect(r.output).toMatch(/\n 2  \* 10\.0\.0\.1  \d+\.\d{3} ms !H  \d+\.\d{3} ms !H\n$/);
  });
});

describe('switch learning vs hub flooding', () => {
  function framesAtPc3(kind: 'lanswitch' | 'hub'): { rx: number; w: World } {
    const w = new World(lan(kind, 3));
    // Let the gratuitous ARPs settle, then count what the switch port toward pc3 sends
    // (the port's own counter, as the inspector shows it) while pc1 pings pc2.
    w.sim.runUntil(1e9);
    const sw = w.nodeByName(kind === 'hub' ? 'hub1' : 'switch1')!;
    const port = (): number => nodeSnapshot(w, sw).interfaces[2].counters.txPackets;
    const before = port();
    const r = runCommand(w, 'pc1', 'ping -c 10 10.0.0.21');
    expect(r.output).toContain('10 packets received');
    return { rx: port() - before, w };
  }

  it('a learning switch keeps unicast away from pc3; a hub repeats everything', () => {
    const sw = framesAtPc3('lanswitch');
    const hub = framesAtPc3('hub');
    // Switch: at most the broadcast ARP request reaches pc3. Hub: 20 echo frames plus ARP.
    expect(sw.rx).toBeLessThanOrEqual(1);
    expect(hub.rx).toBeGreaterThanOrEqual(20);
    expect(runCommand(sw.w, 'switch1', 'show mac-address-table').output).toMatch(/Total Mac Addresses: 3/);
  });

  it('office sample: pcs on the switch and the hub reach each other through the router', () => {
    const w = new World(loadSample('office-two-lans.vnet'));
    const r = runCommand(w, 'pc1', 'ping -c 2 10.0.1.21');
    expect(r.output).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(r.output).toContain('ttl=63');
  });
});
