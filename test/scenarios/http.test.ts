// The web server every host runs from Start, and fetch/curl getting its page through two
// routers (issue 14): FreeBSD fetch's file and status line, curl's -s/-o/-I/-v output,
// the web root in the node's files, errors in each tool's words, and bounded connections.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { LinkParams } from '../../src/emulator/topology/document';
import { nodeFiles } from '../../src/emulator/node/files';
import { defaultPage, HTTPD_CONNS_MAX, HTTPD_REQUEST_TIMEOUT_NS } from '../../src/emulator/node/services/httpd';
import { runCommand } from '../../src/emulator/shell';
import { tcpConnect, tcpRecv, tcpSend, type TcpConn } from '../../src/emulator/stack/tcp';
import { routerChain } from './topologies';

/** pc1 — router1 — router2 — host1 (10.0.2.20), host1 a `host` node. */
function webChain(params: Partial<LinkParams> = {}): World {
  const d = routerChain(2, params);
  const h = d.nodes.find((n) => n.name === 'pc2')!;
  h.kind = 'host';
  h.name = 'host1';
  return new World(d, { seed: 1 });
}

const PAGE = defaultPage('host1');

describe('httpd, fetch and curl', () => {
  it('fetch -o - prints the page naming the host, two routers away', () => {
    const w = webChain();
    const r = runCommand(w, 'pc1', 'fetch -o - http://10.0.2.20/');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(PAGE);
    expect(PAGE).toContain('<h1>host1</h1>');
    // The host listens on tcp/80 from Start, as sockstat shows.
    expect(runCommand(w, 'host1', 'netstat -an').output).toContain('tcp4       0      0 *.80                   *.*                    LISTEN\n');
  });

  it('fetch writes the file into the node files, named as FreeBSD names it, and prints its status line', () => {
    const w = webChain();
    const r = runCommand(w, 'pc1', 'fetch http://host1/');
    expect(r.exitCode).toBe(0);
    // Zero-delay links: no time passes, so fetch has no rate to show.
    expect(r.output).toMatch(/^fetch\.out {37} {8} \d{3} {2}B \?\? Bps {4}00s\n$/);
    const slow = webChain({ delayUs: 10_000, bandwidthBps: 1_000_000 });
    const s = runCommand(slow, 'pc1', 'fetch http://10.0.2.20/');
    expect(s.output).toMatch(/^fetch\.out {37} {8} \d{3} {2}B {2}\d{3} [ k]Bps {4}00s\n$/);
    expect(nodeFiles(w.nodeByName('pc1')!).read('/fetch.out')).toBe(PAGE);
    const named = runCommand(w, 'pc1', 'fetch -q -o /tmp/page.html http://10.0.2.20/index.html');
    expect(named).toMatchObject({ exitCode: 0, output: '' });
    expect(nodeFiles(w.nodeByName('pc1')!).read('/tmp/page.html')).toBe(PAGE);
  });

  it('serves the web root in the host files first, and 404s what is not there', () => {
    const w = webChain();
    const files = nodeFiles(w.nodeByName('host1')!);
    files.write('/usr/local/www/index.html', '<p>lab 3</p>\n');
    files.write('/usr/local/www/notes/a.txt', 'alpha\n');
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.2.20/').output).toBe('<p>lab 3</p>\n');
    expect(runCommand(w, 'pc1', 'curl -s http://10.0.2.20/notes/a.txt').output).toBe('alpha\n');
    // `..` cannot leave the web root.
    expect(runCommand(w, 'pc1', 'curl -s http://10.0.2.20/../../usr/local/www/notes/a.txt').output).toContain('404 Not Found');
    const missing = runCommand(w, 'pc1', 'fetch -o - http://10.0.2.20/nothere');
    expect(missing).toMatchObject({ exitCode: 1, output: 'fetch: http://10.0.2.20/nothere: Not Found\n' });
  });

  it('curl -I, -v, -o and errors in curl words', () => {
    const w = webChain();
    const head = runCommand(w, 'pc1', 'curl -I http://10.0.2.20/');
    expect(head.exitCode).toBe(0);
    expect(head.output).toBe(`HTTP/1.1 200 OK\nServer: VirtNet-httpd\nContent-Type: text/html\nContent-Length: ${PAGE.length}\nConnection: close\n\n`);
    const v = runCommand(w, 'pc1', 'curl -v http://10.0.2.20/');
    expect(v.output.split('\n').slice(0, 8)).toEqual([
      '*   Trying 10.0.2.20:80...',
      '* Connected to 10.0.2.20 (10.0.2.20) port 80',
      '> GET / HTTP/1.1',
      '> Host: 10.0.2.20',
      '> User-Agent: curl/8.5.0',
      '> Accept: */*',
      '> Connection: close',
      '> ',
    ]);
    expect(v.output).toContain('< HTTP/1.1 200 OK\n');
    expect(v.output).toContain(PAGE);
    expect(v.output.endsWith('* Closing connection\n')).toBe(true);
    const o = runCommand(w, 'pc1', 'curl -o /page http://10.0.2.20/');
    expect(o.output).toMatch(/^ {2}% Total {4}% Received % Xferd {2}Average Speed {3}Time {4}Time {5}Time {2}Current\n {33}Dload {2}Upload {3}Total {3}Spent {4}Left {2}Speed\n100 {3}\d{3} {2}100 {3}\d{3} {4}0 {5}0 +\d+k? +0 /);
    expect(nodeFiles(w.nodeByName('pc1')!).read('/page')).toBe(PAGE);
    // pc2-less port: refused; a name that is no node: not resolved; https: not here.
    expect(runCommand(w, 'pc1', 'curl http://10.0.2.20:81/')).toMatchObject({ exitCode: 7 });
    expect(runCommand(w, 'pc1', 'curl http://10.0.2.20:81/').output).toMatch(/^curl: \(7\) Failed to connect to 10\.0\.2\.20 port 81 after \d+ ms: Couldn't connect to server\n$/);
    expect(runCommand(w, 'pc1', 'curl http://nosuch/')).toMatchObject({ exitCode: 6, output: 'curl: (6) Could not resolve host: nosuch\n' });
    expect(runCommand(w, 'pc1', 'curl https://10.0.2.20/')).toMatchObject({ exitCode: 1, output: 'curl: (1) Protocol "https" not supported\n' });
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.2.20:81/')).toMatchObject({ exitCode: 1, output: 'fetch: http://10.0.2.20:81/: Connection refused\n' });
  });

  it('answers a bad request 400 and other methods 405, and refuses connections past its bound with 503', () => {
    const w = webChain();
    const pc1 = w.nodeByName('pc1')!.stack!;
    const host = (10 << 24) | (2 << 8) | 20;
    const ask = (request: string | null): { text: string; conn: TcpConn } => {
      const r = { text: '', conn: null as unknown as TcpConn };
      r.conn = tcpConnect(pc1, host, 80, {
        connected: () => {
          if (request !== null) tcpSend(r.conn, Uint8Array.from(request, (ch) => ch.charCodeAt(0)));
        },
        readable: () => {
          for (let d = tcpRecv(r.conn); d !== null && d.length > 0; d = tcpRecv(r.conn)) r.text += String.fromCharCode(...d);
        },
      }) as TcpConn;
      return r;
    };
    const bad = ask('GARBAGE\r\n\r\n');
    const post = ask('POST / HTTP/1.1\r\nHost: x\r\n\r\n');
    const old = ask('GET / HTTP/1.0\r\n\r\n');
    w.sim.runUntil(w.sim.now() + 2e9);
    expect(bad.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(post.text).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n[^]*Allow: GET, HEAD\r\n/);
    expect(old.text.endsWith(PAGE)).toBe(true);
    // Silent clients hold connections; past the bound the server answers 503 and closes.
    const idle = Array.from({ length: HTTPD_CONNS_MAX + 2 }, () => ask(null));
    w.sim.runUntil(w.sim.now() + 2e9);
    expect(idle.filter((r) => r.text.startsWith('HTTP/1.1 503 Service Unavailable\r\n')).length).toBe(2);
    expect(w.nodeByName('host1')!.httpd!.stats.refused).toBe(2);
    expect(runCommand(w, 'pc1', 'curl -s http://10.0.2.20/').output).toMatch(/^Service Unavailable/);
    // Silent clients are reset after the request timeout, and the server answers again.
    w.sim.runUntil(w.sim.now() + HTTPD_REQUEST_TIMEOUT_NS);
    expect(idle.filter((r) => r.conn.state === 'CLOSED').length).toBe(HTTPD_CONNS_MAX);
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.2.20/').output).toBe(PAGE);
  });
});
