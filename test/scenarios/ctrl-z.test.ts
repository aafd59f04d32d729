// Stopping and continuing programs as a person does it on FreeBSD (shell/session.ts,
// node/proc-gate.ts, node/signals.ts): Ctrl-Z stops the foreground command and sh says
// `[1] + Suspended   cmd`; a stopped program runs nothing (a ping sends no probe, a sleep
// does not end, nc reads nothing, so TCP's window closes) until `fg` or `bg` continues it;
// `kill -STOP` / `-CONT` do the same from any terminal; a fatal signal other than SIGKILL waits
// while the program is stopped; ps shows `T`.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runStartup } from '../../src/emulator/engine/startup';
import { runFor, said, shellSession } from '../support/shell-session';
import { hostRouterHost, twoPcs } from './topologies';
import { dnsLab } from './dns-lab';

const run = runFor;

/** Frames pc1 has sent so far. */
const txPc1 = (w: World): number => w.nodeByName('pc1')!.stack!.ifaces[0].counters.txPackets;

describe('Ctrl-Z, fg, bg and stop signals', () => {
  it('Ctrl-Z stops sleep: it does not end while stopped, and fg finishes it once continued', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const t = shellSession(w, 'pc1');
    t.exec('sleep 5; echo after');
    run(w, 1);
    t.s.suspend();
    // The line goes on after a stopped command, with status 128 + SIGTSTP.
    expect(t.out.text).toBe('[1] + Suspended               sleep 5\nafter\n');
    run(w, 60);
    expect(said(t, 'jobs').text).toBe('[1] + Suspended               sleep 5\n');
    expect(said(t, 'ps').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  0  T    0:00.00 sleep 5\n');
    const from = t.out.text.length;
    t.out.code = -1;
    t.exec('fg');
    expect(t.out.code).toBe(-1);
    // Its deadline passed while it was stopped: it ends as soon as it runs again.
    run(w, 0.001);
    expect(t.out.text.slice(from)).toBe('sleep 5\n');
    expect(t.out.code).toBe(0);
    expect(said(t, 'jobs').text).toBe('');
  });

  it('a stopped ping sends nothing; bg continues it in the background', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const t = shellSession(w, 'pc1');
    t.exec('ping 10.0.0.21');
    run(w, 2.5);
    t.s.suspend();
    expect(t.out.code).toBe(146);
    expect(t.out.text).toMatch(/icmp_seq=2 .*\n\[1\] \+ Suspended {15}ping 10\.0\.0\.21\n$/);
    const sent = txPc1(w);
    run(w, 30);
    expect(txPc1(w)).toBe(sent);
    expect(t.out.text).not.toContain('icmp_seq=3');
    expect(said(t, 'bg').text).toBe('[1] ping 10.0.0.21\n');
    run(w, 2.5);
    expect(txPc1(w)).toBeGreaterThan(sent);
    expect(t.out.text).toContain('icmp_seq=3');
    expect(said(t, 'jobs').text).toBe('[1] + Running                 ping 10.0.0.21\n');
    said(t, 'kill %1');
    expect(t.out.text).toContain('--- 10.0.0.21 ping statistics ---');
  });

  it('SIGTERM waits while a job is stopped and ends it when fg continues it; SIGKILL ends it at once', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const t = shellSession(w, 'pc1');
    t.exec('sleep 100');
    t.s.suspend();
    t.exec('sleep 200');
    t.s.suspend();
    // The newest stopped job is the current one (+), the other the previous one (-).
    expect(said(t, 'jobs -l').text).toBe('[1] - 1001 Suspended          sleep 100\n[2] + 1002 Suspended          sleep 200\n');
    expect(said(t, 'kill %1').code).toBe(0);
    expect(said(t, 'jobs %1').text).toBe('[1] - Suspended               sleep 100\n');
    const from = t.out.text.length;
    t.exec('fg %1');
    expect(t.out.text.slice(from)).toBe('sleep 100\nTerminated\n');
    expect(t.out.code).toBe(143);
    expect(said(t, 'kill -9 1002').code).toBe(0);
    expect(said(t, 'true').text).toBe('[2]   Killed                  sleep 200\n');
    expect(said(t, 'ps').text).toBe('  PID TT  STAT    TIME COMMAND\n');
  });

  it('kill -STOP from another terminal stops a foreground command there; kill -CONT continues it in the background', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const a = shellSession(w, 'pc1');
    const b = shellSession(w, 'pc1');
    a.exec('ping -q 10.0.0.21');
    run(w, 1.5);
    expect(said(b, 'kill -s STOP 1001').code).toBe(0);
    expect(a.out.code).toBe(145);
    expect(a.out.text).toBe('PING 10.0.0.21 (10.0.0.21): 56 data bytes\n[1] + Suspended (signal)      ping -q 10.0.0.21\n');
    expect(said(b, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  0  T    0:00.00 ping -q 10.0.0.21\n');
    const sent = txPc1(w);
    run(w, 10);
    expect(txPc1(w)).toBe(sent);
    expect(said(b, 'kill -CONT 1001').code).toBe(0);
    run(w, 3);
    expect(txPc1(w)).toBeGreaterThan(sent);
    expect(said(a, 'jobs').text).toBe('[1] + Running                 ping -q 10.0.0.21\n');
    expect(said(b, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  0  S    0:00.00 ping -q 10.0.0.21\n');
    // killall signals by name too; SIGKILL ends it without its statistics.
    expect(said(b, 'killall -STOP ping').code).toBe(0);
    expect(said(a, 'jobs').text).toBe('[1] + Suspended (signal)      ping -q 10.0.0.21\n');
    expect(said(b, 'killall -9 ping').code).toBe(0);
    expect(said(a, 'true').text).toBe('[1]   Killed                  ping -q 10.0.0.21\n');
    expect(a.out.text).not.toContain('ping statistics');
  });

  it('a stopped nc reads nothing: what arrives waits in its socket and is shown when fg continues it', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const srv = shellSession(w, 'pc2');
    srv.exec('nc -l 7000');
    run(w, 0.1);
    srv.s.suspend();
    expect(srv.out.text).toBe('[1] + Suspended               nc -l 7000\n');
    const cli = shellSession(w, 'pc1');
    cli.exec('nc 10.0.1.20 7000');
    run(w, 1);
    expect(cli.s.input('hello\n')).toBe(true);
    run(w, 2);
    expect(srv.out.text).not.toContain('hello');
    // Unread: the bytes wait in the receive queue of the stopped listener's connection.
    expect(said(srv, 'netstat -an -p tcp').text).toMatch(/tcp4\s+6\s+0\s+10\.0\.1\.20\.7000\s+10\.0\.0\.20\.\d+\s+ESTABLISHED/);
    srv.exec('fg');
    run(w, 0.01);
    expect(srv.out.text).toMatch(/nc -l 7000\nhello\n$/);
  });

  it('Ctrl-Z at the prompt does nothing; closing the terminal ends its stopped jobs', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const t = shellSession(w, 'pc1');
    t.s.suspend();
    expect(t.out.text).toBe('');
    t.exec('sleep 100');
    t.s.suspend();
    const other = shellSession(w, 'pc1');
    expect(said(other, 'ps').text).toContain(' 1001  0  T    0:00.00 sleep 100\n');
    t.s.close();
    expect(said(other, 'ps').text).toBe('  PID TT  STAT    TIME COMMAND\n');
  });

  it('kill -l lists the signals; an unknown one is refused with the list; a daemon that cannot stop says so', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const t = shellSession(w, 'pc1');
    expect(said(t, 'kill -l')).toEqual({
      text: 'HUP INT QUIT ILL TRAP ABRT EMT FPE KILL BUS SEGV SYS PIPE ALRM TERM URG\nSTOP TSTP CONT CHLD TTIN TTOU IO XCPU XFSZ VTALRM PROF WINCH INFO USR1 USR2\n',
      code: 0,
    });
    expect(said(t, 'kill -l 143').text).toBe('TERM\n');
    expect(said(t, 'kill -FOO 1')).toEqual({ text: expect.stringMatching(/^kill: unknown signal FOO; valid signals:\nHUP INT/), code: 2 });
    expect(said(t, 'service httpd onestart').code).toBe(0);
    const pid = /^ *(\d+) .*httpd$/m.exec(said(t, 'ps ax').text)![1];
    expect(said(t, `kill -STOP ${pid}`)).toEqual({ text: `kill: ${pid}: httpd cannot be stopped here (only commands run from a shell can)\n`, code: 1 });
    expect(said(t, 'killall -STOP httpd')).toEqual({ text: `killall: httpd (${pid}) cannot be stopped here (only commands run from a shell can)\n`, code: 1 });
    expect(said(t, 'killall -FOO httpd').code).toBe(64);
    expect(said(t, `kill -0 ${pid}`).code).toBe(0);
    expect(said(t, 'ps ax').text).toContain('httpd');
  });

  it('a stopped tcpdump keeps what it captures in its buffer, shows it on fg, and counts what the full buffer dropped', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const dump = shellSession(w, 'pc1');
    dump.exec('tcpdump -n -i eth0 icmp');
    const pinger = shellSession(w, 'pc2');
    pinger.exec('ping -c 3 10.0.0.20');
    run(w, 0.5);
    dump.s.suspend();
    const shown = dump.out.text;
    expect(shown).toMatch(/seq 0, length 64\n\[1\] \+ Suspended {15}tcpdump -n -i eth0 icmp\n$/);
    run(w, 5);
    expect(dump.out.text).toBe(shown);
    dump.exec('fg');
    run(w, 0.001);
    // The two later echoes (request and reply each) come out once it runs again.
    expect(dump.out.text.split('ICMP echo request').length - 1).toBe(3);
    expect(dump.out.text.split('ICMP echo reply').length - 1).toBe(3);
    dump.s.suspend();
    pinger.exec('ping -f -c 1500 10.0.0.20');
    run(w, 30);
    dump.exec('fg');
    run(w, 0.001);
    dump.s.interrupt();
    // 3,000 echoes came while it was stopped and 1,024 fitted its buffer; the filter saw
    // every frame (3 ARP frames, the 6 echoes before, the 3,000).
    expect(dump.out.text).toMatch(/\n1030 packets captured\n3009 packets received by filter\n1976 packets dropped by kernel\n$/);
  });

  it('a stopped iperf3 client writes nothing more; fg lets it finish its test and report', () => {
    const w = new World(twoPcs(), { seed: 1 });
    const srv = shellSession(w, 'pc2');
    srv.exec('iperf3 -s -D');
    const cli = shellSession(w, 'pc1');
    cli.exec('iperf3 -c 10.0.0.21 -t 3');
    run(w, 1.5);
    cli.s.suspend();
    expect(cli.out.text).toMatch(/\[1\] \+ Suspended {15}iperf3 -c 10\.0\.0\.21 -t 3\n$/);
    // What it had written before it stopped still leaves (the send buffer drains), then nothing.
    run(w, 5);
    const sent = txPc1(w);
    run(w, 20);
    expect(txPc1(w)).toBe(sent);
    cli.out.code = -1;
    cli.exec('fg');
    run(w, 5);
    expect(cli.out.code).toBe(0);
    expect(cli.out.text).toContain('iperf Done.');
  });

  it('a stopped dig sends no retry: its timeout waits, and fg goes on with the attempts left', () => {
    const w = dnsLab();
    const t = shellSession(w, 'pc1');
    t.exec('dig +time=2 +tries=3 @10.0.9.9 www.example.lab');
    run(w, 1);
    t.s.suspend();
    expect(t.out.text).toBe('[1] + Suspended               dig +time=2 +tries=3 @10.0.9.9 www.example.lab\n');
    run(w, 60);
    expect(t.out.text).not.toContain('timed out');
    t.out.code = -1;
    t.exec('fg');
    run(w, 0.01);
    // The first attempt's timeout ran out while it was stopped; the two others take 2 s each.
    expect(t.out.text.split('timed out').length - 1).toBe(1);
    run(w, 3.9);
    expect(t.out.code).toBe(-1);
    run(w, 0.2);
    expect(t.out.code).toBe(9);
    expect(t.out.text.split('timed out').length - 1).toBe(3);
  });

  it('a startup script (no terminal, no job control) waits for a stopped command and goes on once it is continued', () => {
    const doc = twoPcs();
    doc.nodes.find((n) => n.name === 'pc1')!.startup = ['sleep 10', 'echo done > /tmp/after-sleep'];
    const w = new World(doc, { seed: 1 });
    expect(runStartup(w, doc)).toEqual([]);
    run(w, 1);
    const t = shellSession(w, 'pc1');
    expect(said(t, 'kill -STOP 1001').code).toBe(0);
    expect(said(t, 'ps ax').text).toBe('  PID TT  STAT    TIME COMMAND\n 1001  -  Ts   0:00.00 sleep 10\n');
    run(w, 60);
    expect(said(t, 'cat /tmp/after-sleep').code).toBe(1);
    expect(said(t, 'kill -CONT 1001').code).toBe(0);
    run(w, 0.01);
    expect(said(t, 'cat /tmp/after-sleep')).toEqual({ text: 'done\n', code: 0 });
  });
});
