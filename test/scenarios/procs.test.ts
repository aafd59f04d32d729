// The node's process table as a person meets it (node/procs.ts, shell ps/kill/killall/jobs,
// sockstat): programs from every terminal of a node share one table and one PID sequence,
// `ps` and `ps ax` list them as FreeBSD does, `kill PID` and `killall NAME` end a program
// whichever terminal (or rc) started it, sockstat names the program and descriptor holding a
// socket, and closing a terminal ends its jobs but not its daemons.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runStartup } from '../../src/emulator/engine/startup';
import { PROCS_MAX, procList } from '../../src/emulator/node/procs';
import { runCommand } from '../../src/emulator/shell';
import { runFor, said, shellSession } from '../support/shell-session';
import { hostRouterHost, ripGridLab } from './topologies';
import { dnsLab } from './dns-lab';

const run = runFor;

describe('the process table of a node', () => {
  it('ps lists the programs of every terminal; jobs -l and -p show PIDs', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const a = shellSession(w, 'pc2');
    const b = shellSession(w, 'pc2');
    expect(said(a, 'nc -l 7000 &').text).toBe('[1] 1001\n');
    a.exec('iperf3 -s');
    run(w, 0.1);
    expect(said(b, 'iperf3 -s -p 5300 -D').code).toBe(0);
    // Without -x only programs with a terminal: a's job and foreground command.
    expect(said(b, 'ps').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  0  S    0:00.00 nc -l 7000\n 1002  0  S+   0:00.00 iperf3 -s\n');
    expect(said(b, 'ps ax').text).toBe(
      '  PID TT  STAT    TIME COMMAND\n 1003  -  Ss   0:00.00 iperf3 -s -p 5300 -D\n 1001  0  S    0:00.00 nc -l 7000\n 1002  0  S+   0:00.00 iperf3 -s\n',
    );
    expect(said(b, 'ps -aux').text).toMatch(/^USER   PID %CPU %MEM   VSZ  RSS TT  STAT STARTED    TIME COMMAND\nroot  1003  0\.0    -     -    -  -  Ss   00:00   0:00\.00 iperf3 -s -p 5300 -D\n/);
    const c = shellSession(w, 'pc2');
    c.exec('nc -l 7001 &');
    expect(said(c, 'jobs -l').text).toBe('[1] + 1004 Running            nc -l 7001\n');
    expect(said(c, 'jobs -p').text).toBe('1004\n');
    expect(said(c, 'jobs -z')).toEqual({ text: 'jobs: unknown option: -z\n', code: 2 });
    expect(said(c, 'ps -Z').code).toBe(1);
    expect(c.out.text).toContain('ps: illegal option -- Z\nusage: ps');
  });

  it('kill PID ends a program of another terminal: its foreground command gives the prompt back, its job reports Terminated', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const a = shellSession(w, 'pc2');
    const b = shellSession(w, 'pc2');
    a.exec('nc -l 7000 &');
    a.exec('iperf3 -s');
    a.exec('echo after');
    run(w, 0.1);
    expect(a.out.text).not.toContain('after');
    expect(said(b, 'kill 1002')).toEqual({ text: '', code: 0 });
    expect(a.out.text).toMatch(/Terminated\nafter\n$/);
    expect(said(b, 'kill 1001').code).toBe(0);
    expect(said(a, 'true').text).toBe('[1]   Terminated              nc -l 7000\n');
    expect(said(b, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n');
    expect(said(b, 'kill 1001')).toEqual({ text: 'kill: 1001: No such process\n', code: 1 });
    expect(said(b, 'kill abc')).toEqual({ text: 'kill: illegal process id: abc\n', code: 1 });
    // The port is free again: the killed programs closed their sockets.
    expect(said(b, 'nc -l 7000 &').text).toBe('[1] 1003\n');
  });

  it('killall ends programs by name from any terminal, and says when none matched', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const a = shellSession(w, 'pc2');
    const b = shellSession(w, 'pc2');
    a.exec('nc -l 7000 &');
    a.exec('nc -l 7001 &');
    b.exec('iperf3 -s -D');
    expect(said(b, 'killall nc').code).toBe(0);
    expect(said(b, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1003  -  Ss   0:00.00 iperf3 -s -D\n');
    expect(said(b, 'killall iperf3').code).toBe(0);
    expect(said(b, 'killall iperf3')).toEqual({ text: 'No matching processes were found\n', code: 1 });
    expect(said(b, 'killall -q nc').code).toBe(1);
  });

  it('sockstat names the program and descriptor holding each TCP socket; a closed one lingers as ?', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const srv = shellSession(w, 'pc2');
    const cli = shellSession(w, 'pc1');
    srv.exec('iperf3 -s -D');
    srv.exec('nc -l 7000 &');
    cli.exec('nc 10.0.1.20 7000 &');
    run(w, 1);
    // nc -l stops listening once it has its connection (descriptor 3), which it holds as 4.
    expect(runCommand(w, 'pc2', 'sockstat -4').output).toBe(
      'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n' +
        'root     nc         1002  4   tcp4   10.0.1.20:7000        10.0.0.20:49152\n' +
        'root     iperf3     1001  3   tcp4   *:5201                *:*\n',
    );
    expect(runCommand(w, 'pc1', 'sockstat -4').output).toBe(
      'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n' + 'root     nc         1001  3   tcp4   10.0.0.20:49152       10.0.1.20:7000\n',
    );
    srv.exec('kill %1');
    run(w, 1);
    // pc2 closed first: its end waits in FIN_WAIT_2 / TIME_WAIT, held by no program.
    expect(runCommand(w, 'pc2', 'sockstat -4c').output).toMatch(/\n\?        \?          \?     \?   tcp4   10\.0\.1\.20:7000        10\.0\.0\.20:49152\n$/);
    expect(runCommand(w, 'pc1', 'sockstat -4').output).toBe('USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n');
  });

  it('a host runs httpd from Start as a program: ps, sockstat, killall and service see the same one', () => {
    const doc = hostRouterHost();
    doc.nodes.find((n) => n.name === 'pc2')!.kind = 'host';
    const w = new World(doc, { seed: 1 });
    const t = shellSession(w, 'pc2');
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  -  Ss   0:00.00 httpd\n');
    expect(said(t, 'sockstat -4l').text).toBe('USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\nroot     httpd      1001  3   tcp4   *:80                  *:*\n');
    expect(said(t, 'killall httpd').code).toBe(0);
    expect(said(t, 'service httpd status')).toEqual({ text: 'httpd is not running.\n', code: 1 });
    expect(said(t, 'sockstat -4l').text).toBe('USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n');
    const pc1 = shellSession(w, 'pc1');
    pc1.exec('fetch -o /dev/null http://10.0.1.20/');
    run(w, 2);
    expect(pc1.out.text).toContain('Connection refused');
    expect(said(t, 'service httpd start').code).toBe(0);
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1002  -  Ss   0:00.00 httpd\n');
    expect(said(t, 'kill 1002').code).toBe(0);
    expect(said(t, 'service httpd status').code).toBe(1);
  });

  it('UDP sockets are their programs\' too: nc -u over both families, and named', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const t = shellSession(w, 'pc2');
    t.exec('nc -lu 7000 &');
    expect(said(t, 'sockstat -l').text).toBe(
      'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n' +
        'root     nc         1001  3   udp4   *:7000                *:*\n' +
        'root     nc         1001  4   udp6   *:7000                *:*\n',
    );
    expect(said(t, 'sockstat -4l').text).not.toContain('udp6');
    t.exec('kill %1');
    expect(said(t, 'sockstat -l').text).toMatch(/Terminated {14}nc -lu 7000\nUSER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS\n$/);
    const dns = dnsLab();
    const ns = shellSession(dns, 'root');
    expect(said(ns, 'service named start').code).toBe(0);
    const pid = /^ *(\d+) +- +Ss +0:00\.00 named$/m.exec(said(ns, 'ps ax').text)?.[1] ?? '';
    expect(pid).toMatch(/^\d+$/);
    expect(said(ns, 'sockstat -4l').text).toContain(`root     named      ${pid.padEnd(5)} 3   udp4   *:53 `);
    expect(said(ns, 'sockstat -4l').text).toContain(`root     named      ${pid.padEnd(5)} 4   tcp4   *:53 `);
    expect(said(ns, 'killall named').code).toBe(0);
    expect(said(ns, 'sockstat -4l').text).not.toContain(':53 ');
  });

  it('rc services are programs too: dhcpd has a PID ps shows and kill ends', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const t = shellSession(w, 'router1');
    t.exec('mkdir -p /usr/local/etc');
    t.exec("printf 'subnet 10.0.0.0 netmask 255.255.255.0 {\\n  range 10.0.0.100 10.0.0.110;\\n}\\n' > /usr/local/etc/dhcpd.conf");
    expect(said(t, 'dhcpd -q eth0').code).toBe(0);
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  -  Ss   0:00.00 dhcpd\n');
    expect(said(t, 'service dhcpd status').text).toMatch(/^dhcpd is running as pid 1001\.\n/);
    expect(said(t, 'kill 1001').code).toBe(0);
    expect(said(t, 'service dhcpd status')).toEqual({ text: 'dhcpd is not running.\n', code: 1 });
  });

  it('routing daemons are programs: a reconfiguration keeps ripd\'s PID, killall ripd takes its routes away', () => {
    const w = new World(ripGridLab(1, 2, 1), { seed: 1 });
    run(w, 10);
    const t = shellSession(w, 'router1');
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  -  Ss   0:00.00 ripd -d\n');
    expect(said(t, 'netstat -rn -f inet').text).toMatch(/^10\.2\.1\.0\/24 +10\.1\.0\.2 +UG1 /m);
    t.exec("vtysh -c 'configure terminal' -c 'router rip' -c 'timers basic 5 15 10'");
    expect(said(t, 'ps ax').text).toContain(' 1001  -  Ss   0:00.00 ripd -d\n');
    expect(said(t, 'killall ripd').code).toBe(0);
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n');
    expect(said(t, 'netstat -rn -f inet').text).not.toContain('10.2.1.0/24');
    expect(said(t, "vtysh -c 'show ip rip'").code).not.toBe(0);
  });

  it('closing a terminal ends its jobs; its daemons go on and another terminal can find and end them', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const a = shellSession(w, 'pc2');
    a.exec('nc -l 7000 &');
    a.exec('iperf3 -s -D');
    a.s.close();
    const b = shellSession(w, 'pc2');
    expect(said(b, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1002  -  Ss   0:00.00 iperf3 -s -D\n');
    expect(said(b, 'sockstat -4l').text).toContain('root     iperf3     1002  3   tcp4   *:5201');
    expect(said(b, 'kill 1002').code).toBe(0);
    expect(procList(w.findNode('pc2')!)).toEqual([]);
  });

  it('a startup script has no terminal: its daemons and background jobs go on after it, listed with no TT', () => {
    const doc = hostRouterHost();
    doc.nodes.find((n) => n.name === 'pc2')!.startup = ['iperf3 -s -D', 'nc -l 7000 &'];
    const w = new World(doc, { seed: 1 });
    expect(runStartup(w, doc)).toEqual([]);
    run(w, 1);
    const t = shellSession(w, 'pc2');
    expect(said(t, 'ps').text).toBe('  PID TT  STAT    TIME COMMAND\n');
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  -  Ss   0:00.00 iperf3 -s -D\n 1002  -  Ss   0:00.00 nc -l 7000\n');
    const pc1 = shellSession(w, 'pc1');
    pc1.exec('iperf3 -c 10.0.1.20 -t 1');
    run(w, 5);
    expect(pc1.out.text).toContain('iperf Done.');
    expect(pc1.out.code).toBe(0);
  });

  it(`a node runs at most ${PROCS_MAX} programs: the next one is refused as fork(2) refuses it, and nothing is lost`, () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const t = shellSession(w, 'pc2');
    for (let k = 0; k < PROCS_MAX; k++) t.exec('sleep 100 &');
    expect(procList(w.findNode('pc2')!)).toHaveLength(PROCS_MAX);
    expect(said(t, 'sleep 100 &')).toEqual({ text: 'sh: fork: Resource temporarily unavailable (pc2 runs too many programs)\n', code: 1 });
    // Ending one makes room again.
    expect(said(t, 'kill %1').code).toBe(0);
    expect(said(t, 'sleep 100 &').text).toMatch(/^\[1\] {3}Terminated {14}sleep 100\n\[1\] 2025\n$/);
  });
});
