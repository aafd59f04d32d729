// service(8) over every service a node runs: named and httpd (which keep their own records)
// start, report status, stop and restart like the DHCP programs; a failing start says why.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';
import { runCommand } from '../../src/emulator/shell';
import { builder } from './topologies';

function pcAndHost(): World {
  const b = builder();
  const pc = b.node('pc', 'pc1');
  const www = b.node('host', 'www');
  b.link(pc, www, { aIp: '10.0.0.20/24', bIp: '10.0.0.10/24' });
  return new World(b.doc, { seed: 1 });
}

describe('service(8) for named and httpd', () => {
  it('stops, starts and reports the web server a host runs from Start', () => {
    const w = pcAndHost();
    expect(runCommand(w, 'www', 'service httpd status')).toMatchObject({ exitCode: 0, output: 'httpd is running.\n' });
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.0.10/').exitCode).toBe(0);
    expect(runCommand(w, 'www', 'service httpd stop')).toMatchObject({ exitCode: 0, output: 'Stopping httpd.\n' });
    expect(runCommand(w, 'www', 'service httpd status')).toMatchObject({ exitCode: 1, output: 'httpd is not running.\n' });
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.0.10/').exitCode).not.toBe(0);
    expect(runCommand(w, 'www', 'service httpd start')).toMatchObject({ exitCode: 0, output: 'Starting httpd.\n' });
    expect(runCommand(w, 'pc1', 'fetch -o - http://10.0.0.10/').output).toContain('www');
    expect(runCommand(w, 'www', 'service httpd start').exitCode).toBe(1); // already running
  });

  it('starts named from its files, answers, and says why when its configuration is missing', () => {
    const w = pcAndHost();
    const start = runCommand(w, 'www', 'service named start');
    expect(start.exitCode).toBe(1);
    expect(start.output).toMatch(/^Starting named\.\n.*named\.conf/s);
    const f = nodeFiles(w.nodeByName('www')!);
    f.write('/usr/local/etc/namedb/named.conf', 'options {\n\tdirectory "/usr/local/etc/namedb";\n\trecursion no;\n};\nzone "example.lab" { type master; file "example.lab"; };\n');
    f.write('/usr/local/etc/namedb/example.lab', '$TTL 60\n@ IN SOA ns root 1 60 60 600 60\n@ IN NS ns\nns IN A 10.0.0.10\nwww IN A 10.0.0.10\n');
    expect(runCommand(w, 'www', 'service named restart')).toMatchObject({ exitCode: 0, output: 'Starting named.\n' });
    expect(runCommand(w, 'www', 'service named status')).toMatchObject({ exitCode: 0, output: 'named is running.\n' });
    expect(runCommand(w, 'pc1', 'host www.example.lab 10.0.0.10').output).toContain('www.example.lab has address 10.0.0.10');
    expect(runCommand(w, 'www', 'service named stop')).toMatchObject({ exitCode: 0 });
    expect(runCommand(w, 'www', 'service named status').exitCode).toBe(1);
  });
});
