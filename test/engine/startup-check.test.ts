// The startup checker gives, by line, the message the shell would print for bad quoting,
// unknown commands, bad ipfw rules / nat / pipe configs and bad iptables specs, passes
// good lines, comments and blanks, and reports the schema's bounds.
import { describe, expect, it } from 'vitest';
import { checkStartup, checkStartupLine, STARTUP_PROBLEMS_MAX } from '../../src/emulator/engine/startup-check';

describe('checkStartup', () => {
  it('accepts good lines, comments and blanks', () => {
    expect(checkStartup([
      'ipfw add 100 deny icmp from any to any',
      '# a comment',
      '',
      'ipfw -q add 200 allow tcp from any to me 80 keep-state',
      'ipfw nat 1 config if eth1 same_ports redirect_port tcp 10.0.0.2:80 80',
      'ipfw pipe 1 config bw 1Mbit/s delay 20 queue 50 plr 0.01',
      'iptables -A FORWARD -p tcp --dport 22 -j DROP',
      'iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE',
      "route add default 10.0.0.1; echo 'done'",
      'ifconfig eth0 10.0.0.2/24',
      'ipfw show',
    ])).toEqual([]);
  });

  it('locates each problem with the message the shell would print', () => {
    expect(checkStartup([
      'ipfw add 100 deny icmp from any to any',
      'ipfw add 100 deny icmpx from any to any',
      "echo 'open",
      'frobnicate now',
      'ipfw add 300 allow udp from any 53',
      'iptables -A NOPE -j DROP',
      'iptables -A INPUT -p tcp --dport 99999 -j DROP',
      'ipfw pipe 1 config bw fast',
      'ipfw nat 1 config colour blue',
      'ipfw frob',
      'x'.repeat(4097),
    ])).toEqual([
      { line: 2, message: "ipfw: invalid protocol ``icmpx''" },
      { line: 3, message: 'Syntax error: Unterminated quoted string' },
      { line: 4, message: 'frobnicate: not found' },
      { line: 5, message: "ipfw: missing ``to''" },
      { line: 6, message: 'iptables: No chain/target/match by that name.' },
      { line: 7, message: expect.stringMatching(/99999/) },
      { line: 8, message: expect.stringMatching(/^ipfw: .*bandwidth/) },
      { line: 9, message: expect.stringMatching(/^ipfw: .*colour/) },
      { line: 10, message: "ipfw: bad command `frob'" },
      { line: 11, message: 'longer than 4096 characters' },
    ]);
  });

  it('checks every command of a line and bounds lines and problems', () => {
    expect(checkStartupLine('true; nosuch')).toBe('nosuch: not found');
    expect(checkStartupLine('route ad default 10.0.0.1')).toBe('route: ad: unknown command');
    expect(checkStartupLine('route add default')).toBe('usage: route [-46dnqtv] command [[modifiers] args]');
    expect(checkStartupLine('route add -net 10.1.0.0 -netmask 255.255.0.0 router2')).toBeNull();
    expect(checkStartupLine('route -6 add default fe80::1')).toBeNull();
    const many = Array.from({ length: 1005 }, () => 'nosuch');
    const p = checkStartup(many);
    expect(p[0]).toEqual({ line: 1001, message: 'startup has at most 1000 lines; 5 more will not run' });
    expect(p).toHaveLength(STARTUP_PROBLEMS_MAX);
  });
});
