import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { openShell, runCommand } from '../../src/emulator/shell';
import { hostRouterHost } from './topologies';

function shell(w: World, node: string) {
  const out = { text: '', code: -1 };
  const s = openShell(w, w.findNode(node)!.id, { write: (t) => (out.text += t) });
  return { s, out, exec: (line: string) => s.exec(line, (c) => (out.code = c)) };
}

const run = (w: World, sec: number): void => {
  w.sim.runUntil(w.sim.now() + sec * 1e9);
};

describe('nc', () => {
  it('chats between two pcs through a router, both ways, and ends when one side hangs up', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const server = shell(w, 'pc2');
    const client = shell(w, 'pc1');
    server.exec('nc -lv 5000');
    run(w, 0.1);
    client.exec('nc -v 10.0.1.20 5000');
    run(w, 1);
    expect(client.out.text).toBe('Connection to 10.0.1.20 5000 port [tcp/*] succeeded!\n');
    expect(server.out.text).toMatch(/^Connection from 10\.0\.0\.20 49152 received!\n$/);
    expect(runCommand(w, 'pc1', 'netstat -an').output).toBe(
      'Active Internet connections (including servers)\n' +
        'Proto Recv-Q Send-Q Local Address          Foreign Address        (state)\n' +
        'tcp4       0      0 10.0.0.20.49152        10.0.1.20.5000         ESTABLISHED\n',
    );
    expect(runCommand(w, 'pc2', 'sockstat -4s').output).toBe(
      'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS       PATH STATE   CONN STATE\n' +
        'root     nc         1001  4   tcp4   10.0.1.20:5000        10.0.0.20:49152                    ESTABLISHED\n',
    );
    expect(client.s.input('hello from pc1\n')).toBe(true);
    run(w, 1);
    expect(server.out.text).toContain('hello from pc1\n');
    expect(server.s.input('hi pc1, pc2 here\n')).toBe(true);
    run(w, 1);
    expect(client.out.text).toContain('hi pc1, pc2 here\n');
    // Ctrl-C on the client: its FIN ends the server's nc too.
    client.s.interrupt();
    run(w, 1);
    expect(client.out.code).toBe(130);
    expect(server.out.code).toBe(0);
    // The side that closed first waits in TIME_WAIT; netstat without -a still shows it.
    expect(runCommand(w, 'pc1', 'netstat -n').output).toContain('tcp4       0      0 10.0.0.20.49152        10.0.1.20.5000         TIME_WAIT\n');
    // No input goes to a shell with nothing running.
    expect(client.s.input('stray\n')).toBe(false);
  });

  it('reports a refused connection in netcat words', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const r = runCommand(w, 'pc1', 'nc 10.0.1.20 81');
    expect(r).toMatchObject({ exitCode: 1, output: 'nc: connect to 10.0.1.20 port 81 (tcp) failed: Connection refused\n' });
  });

  it('-z scans a port range and reports the open one', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const server = shell(w, 'pc2');
    server.exec('nc -l 22');
    run(w, 0.1);
    expect(runCommand(w, 'pc2', 'netstat -an').output).toContain('tcp4       0      0 *.22                   *.*                    LISTEN\n');
    expect(runCommand(w, 'pc2', 'netstat -n').output).not.toContain('LISTEN');
    const r = runCommand(w, 'pc1', 'nc -zv 10.0.1.20 21-23');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(
      'nc: connect to 10.0.1.20 port 21 (tcp) failed: Connection refused\n' +
        'Connection to 10.0.1.20 22 port [tcp/ssh] succeeded!\n' +
        'nc: connect to 10.0.1.20 port 23 (tcp) failed: Connection refused\n',
    );
  });

  it('-u sends typed lines as datagrams', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const server = shell(w, 'pc2');
    const client = shell(w, 'pc1');
    server.exec('nc -ul 9999');
    client.exec('nc -u 10.0.1.20 9999');
    run(w, 0.1);
    client.s.input('over udp\n');
    run(w, 1);
    expect(server.out.text).toBe('over udp\n');
    server.s.input('back\n');
    run(w, 1);
    expect(client.out.text).toBe('back\n');
  });

  it('prints usage and refuses bad ports', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    expect(runCommand(w, 'pc1', 'nc').output).toMatch(/^usage: nc /);
    expect(runCommand(w, 'pc1', 'nc 10.0.1.20 99999')).toMatchObject({ exitCode: 1, output: 'nc: port number invalid: 99999\n' });
  });
});
