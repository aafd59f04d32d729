import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { hostRouterHost } from './topologies';

describe('tcp in the shell', () => {
  it('sysctl shows and sets the congestion-control algorithm and FreeBSD TCP defaults', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    // CUBIC is FreeBSD 14's default; NewReno can be chosen per node.
    expect(runCommand(w, 'pc1', 'sysctl net.inet.tcp.cc.algorithm').output).toBe('net.inet.tcp.cc.algorithm: cubic\n');
    expect(runCommand(w, 'pc1', 'sysctl net.inet.tcp.cc.available').output).toBe('net.inet.tcp.cc.available: newreno, cubic\n');
    expect(runCommand(w, 'pc1', 'sysctl net.inet.tcp.cc.algorithm=newreno').output).toBe('net.inet.tcp.cc.algorithm: cubic -> newreno\n');
    expect(runCommand(w, 'pc2', 'sysctl -n net.inet.tcp.cc.algorithm').output).toBe('cubic\n');
    expect(runCommand(w, 'pc1', 'sysctl net.inet.tcp.cc.algorithm=bogus')).toMatchObject({
      exitCode: 1,
      output: 'sysctl: net.inet.tcp.cc.algorithm=bogus: No such file or directory\n',
    });
    expect(runCommand(w, 'pc1', 'sysctl -n net.inet.tcp.msl net.inet.tcp.delacktime net.inet.tcp.rexmit_min').output).toBe('30000\n40\n30\n');
    expect(runCommand(w, 'pc1', 'sysctl net.inet.tcp.msl=1')).toMatchObject({ exitCode: 1, output: "sysctl: oid 'net.inet.tcp.msl' is read only\n" });
    expect(runCommand(w, 'pc2', 'sysctl net.inet.tcp.recvspace=2097152').output).toBe('net.inet.tcp.recvspace: 65536 -> 2097152\n');
    expect(runCommand(w, 'pc1', 'sysctl -n net.inet.tcp.recvspace').output).toBe('65536\n');
    expect(runCommand(w, 'pc2', 'sysctl net.inet.tcp.recvspace=4194304')).toMatchObject({ exitCode: 1, output: 'sysctl: net.inet.tcp.recvspace=4194304: Invalid argument\n' });
    // A node of the tree lists what is under it; an unknown one is still an error.
    const all = runCommand(w, 'pc2', 'sysctl net.inet.tcp').output.split('\n');
    expect(all).toContain('net.inet.tcp.cc.algorithm: cubic');
    expect(all).toContain('net.inet.tcp.recvspace: 2097152');
    expect(all).toContain('net.inet.tcp.sack.enable: 1');
    expect(all.every((l) => l === '' || l.startsWith('net.inet.tcp.'))).toBe(true);
    expect(runCommand(w, 'pc2', 'sysctl net.inet.tc')).toMatchObject({ exitCode: 1, output: "sysctl: unknown oid 'net.inet.tc'\n" });
  });

  it('netstat -s counts TCP segments, connections and resets', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    runCommand(w, 'pc1', 'nc -z 10.0.1.20 80');
    const s1 = runCommand(w, 'pc1', 'netstat -s').output;
    expect(s1).toContain('tcp:\n\t1 packets sent\n');
    expect(s1).toContain('\t1 connection requests\n');
    expect(s1).toContain('\t1 connections dropped\n');
    expect(runCommand(w, 'pc2', 'netstat -s').output).toContain('\t1 resets sent\n');
  });
});
