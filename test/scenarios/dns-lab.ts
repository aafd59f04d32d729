// A DNS lab for scenario tests: root, TLD (`lab.`) and authoritative (`example.lab.`)
// servers, a recursive resolver and a client, each on its own link to one router, with
// the named.conf and zone files a teacher would write, put into the nodes' files.
// Test support only.

import { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';
import { builder } from './topologies';

export const ROOT_ZONE = `$TTL 86400
@        IN SOA rootns. admin.rootns. ( 1 3600 600 86400 3600 )
@        IN NS  rootns.
rootns.  IN A   10.0.1.2
lab.     IN NS  ns.lab.
ns.lab.  IN A   10.0.2.2
`;

export const LAB_ZONE = `$TTL 86400
$ORIGIN lab.
@            IN SOA ns.lab. admin.lab. (
                 2024010101 ; serial
                 3600       ; refresh
                 600        ; retry
                 86400      ; expire
                 3600 )     ; minimum
             IN NS  ns
ns           IN A   10.0.2.2
example      IN NS  ns1.example.lab.
ns1.example  IN A   10.0.3.2
broken       IN NS  ns.broken
ns.broken    IN A   10.0.9.9
`;

export const EXAMPLE_ZONE = `; example.lab, served by auth
$TTL 1h
@      IN SOA ns1.example.lab. hostmaster.example.lab. (
           7 ; serial
           3600 600 86400
           30 ) ; negative answers cached 30 s
       IN NS  ns1
       IN MX  10 mail
ns1    IN A   10.0.3.2
www 60 IN A   10.0.3.2
alias  IN CNAME www
mail   IN A   10.0.3.2
text   IN TXT "hello lab"
`;

export const CONF_DIR = '/usr/local/etc/namedb';

/** pc1 — router1 — {root, tld, auth, resolver}; the servers' files written, nothing started. */
export function dnsLab(): World {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const servers = ['root', 'tld', 'auth', 'resolver'].map((n) => b.node('host', n));
  b.link(pc1, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  servers.forEach((s, k) => {
    b.link(s, r1, { aIp: `10.0.${k + 1}.2/24`, bIp: `10.0.${k + 1}.1/24` });
    b.route(s, '0.0.0.0/0', `10.0.${k + 1}.1`);
  });
  const w = new World(b.doc, { seed: 7 });
  const put = (node: string, files: Record<string, string>): void => {
    const f = nodeFiles(w.nodeByName(node)!);
    for (const [p, t] of Object.entries(files)) f.write(p, t);
  };
  const conf = (body: string): string => `options {\n\tdirectory "${CONF_DIR}";\n${body}};\n`;
  put('root', { [`${CONF_DIR}/named.conf`]: conf('\trecursion no;\n') + 'zone "." { type master; file "root.zone"; };\n', [`${CONF_DIR}/root.zone`]: ROOT_ZONE });
  put('tld', { [`${CONF_DIR}/named.conf`]: conf('\trecursion no;\n') + 'zone "lab" { type master; file "lab.zone"; };\n', [`${CONF_DIR}/lab.zone`]: LAB_ZONE });
  put('auth', { [`${CONF_DIR}/named.conf`]: conf('\trecursion no;\n') + 'zone "example.lab" {\n\ttype master;\n\tfile "example.lab";\n};\n', [`${CONF_DIR}/example.lab`]: EXAMPLE_ZONE });
  put('resolver', {
    [`${CONF_DIR}/named.conf`]: conf('\trecursion yes;\n\tallow-query { any; };\n') + 'zone "." { type hint; file "named.root"; };\n',
    [`${CONF_DIR}/named.root`]: '.  3600000  IN  NS  rootns.\nrootns.  3600000  A  10.0.1.2\n',
  });
  put('pc1', { '/etc/resolv.conf': 'search example.lab\nnameserver 10.0.4.2\n' });
  return w;
}
