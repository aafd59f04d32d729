// The DNS part of IMUNES's DNS+Mail+WEB lab, as its start_dns script sets it up: each DNS
// server gets named.conf and zone files in /var/named/etc/namedb and runs `named -c …`;
// the clients get /etc/resolv.conf; the servers an empty one. The files are written here
// for the lab's servers, zones and addresses (the .imn holds only the network). Test support.

import type { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';

export const NAMEDB = '/var/named/etc/namedb';

/** The lab's SOA: the root zones refresh every 8 h, the others every 28 s (retry 14 s). */
const soa = (mname: string, rname: string, refresh = 28, retry = 14): string =>
  `$TTL 60000\n@ IN SOA ${mname} ${rname} (\n        2002102801 ; serial\n        ${refresh} ; refresh\n        ${retry} ; retry\n        3600000 ; expire\n        0 ) ; default_ttl\n`;

const HINTS = `; the lab's three root servers
.              3600000  IN  NS  aRootServer.
aRootServer.   3600000      A   1.0.0.2
.              3600000  IN  NS  bRootServer.
bRootServer.   3600000      A   2.0.0.2
.              3600000  IN  NS  cRootServer.
cRootServer.   3600000      A   3.0.0.2
`;

const LOCALHOST_REV = `$TTL 86400\n@ IN SOA localhost. root.localhost. ( 1 28800 7200 3600000 86400 )\n  IN NS localhost.\n1 IN PTR localhost.\n`;

const conf = (zones: string): string => `// named.conf\n//\n\noptions {\n\tdirectory "${NAMEDB}";\n\tdnssec-validation no;\n};\n\n${zones}zone "0.0.127.IN-ADDR.ARPA" {\n\ttype master;\n\tfile "localhost.rev";\n};\n`;
const hint = 'zone "." {\n\ttype hint;\n\tfile "named.root";\n};\n\n';
const master = (name: string, file: string, transferTo?: string): string =>
  `zone "${name}" {\n\ttype master;\n\tfile "${file}";\n${transferTo ? `\tallow-transfer { ${transferTo}; };\n` : ''}};\n\n`;
const slave = (name: string, file: string, from: string): string => `zone "${name}" {\n\ttype slave;\n\tmasters { ${from}; };\n\tfile "${file}";\n};\n\n`;

const ROOT = `${soa('aRootServer.', 'root.aRootServer.', 28800, 14400)}
@             IN NS  aRootServer.
@             IN NS  bRootServer.
@             IN NS  cRootServer.
aRootServer.  IN A   1.0.0.2
bRootServer.  IN A   2.0.0.2
cRootServer.  IN A   3.0.0.2
com.          IN NS  dnsCom.com.
dnsCom.com.   IN A   5.0.0.2
org.          IN NS  dnsOrg.org.
dnsOrg.Org.   IN A   6.0.0.2
hr.           IN NS  dnsHr.hr.
hr.           IN NS  hr2.com.
dnsHr.hr.     IN A   7.0.0.2
hr2.com.      IN A   4.0.0.2
`;

const IN_ADDR = `${soa('aRootServer.', 'root.aRootServer.', 28800, 14400)}
@                        IN NS  aRootServer.
20.in-addr.arpa.         IN NS  dnsTel.tel.fer.hr.
dnsTel.tel.fer.hr.       IN A   20.0.0.2
30.in-addr.arpa.         IN NS  dnsZpm.zpm.fer.hr.
dnsZpm.zpm.fer.hr.       IN A   30.0.0.2
2.0.0.1.in-addr.arpa.    IN PTR aRootServer.
2.0.0.5.in-addr.arpa.    IN PTR dnsCom.com.
`;

const FILES: Record<string, Record<string, string>> = {
  aRootServer: { 'named.conf': conf(master('.', 'root', '2.0.0.2; 3.0.0.2') + master('IN-ADDR.ARPA', 'in-addr.arpa', '2.0.0.2; 3.0.0.2')), root: ROOT, 'in-addr.arpa': IN_ADDR },
  bRootServer: { 'named.conf': conf(slave('.', 'root', '1.0.0.2') + slave('IN-ADDR.ARPA', 'in-addr.arpa', '1.0.0.2')) },
  cRootServer: { 'named.conf': conf(slave('.', 'root', '1.0.0.2') + slave('IN-ADDR.ARPA', 'in-addr.arpa', '1.0.0.2')) },
  dnsCom: {
    'named.conf': conf(hint + master('com', 'com')),
    com: `${soa('dnsCom.com.', 'root.dnsCom.com.')}\n@            IN NS dnsCom.com.\ndnsCom.com.  IN A  5.0.0.2\nhr2.com.     IN A  4.0.0.2\n`,
  },
  dnsOrg: { 'named.conf': conf(hint + master('org', 'org')), org: `${soa('dnsOrg.org.', 'root.dnsOrg.org.')}\n@            IN NS dnsOrg.org.\ndnsOrg.Org.  IN A  6.0.0.2\n` },
  dnsHr: {
    'named.conf': conf(hint + master('hr', 'hr', '4.0.0.2')),
    hr: `${soa('dnsHr.hr.', 'root.dnsHr.hr.')}\n@               IN NS dnsHr.hr.\n@               IN NS hr2.com.\ndnsHr.hr.       IN A  7.0.0.2\nfer.hr.         IN NS dnsFer.fer.hr.\ndnsFer.fer.hr.  IN A  8.0.0.2\n`,
  },
  hr2: { 'named.conf': conf(hint + slave('hr', 'hr', '7.0.0.2')) },
  dnsFer: {
    'named.conf': conf(hint + master('fer.hr', 'fer')),
    fer: `${soa('dnsFer.fer.hr.', 'root.dnsFer.fer.hr.')}\n@                   IN NS dnsFer.fer.hr.\ndnsFer.fer.hr.      IN A  8.0.0.2\ntel.fer.hr.         IN NS dnsTel.tel.fer.hr.\ndnsTel.tel.fer.hr.  IN A  20.0.0.2\nzpm.fer.hr.         IN NS dnsZpm.zpm.fer.hr.\ndnsZpm.zpm.fer.hr.  IN A  30.0.0.2\n`,
  },
  dnsTel: {
    'named.conf': conf(hint + master('tel.fer.hr', 'tel') + master('20.IN-ADDR.ARPA', '20.in-addr.arpa')),
    tel: `${soa('dnsTel.tel.fer.hr.', 'root.dnsTel.tel.fer.hr.')}\n@       IN NS dnsTel.tel.fer.hr.\ndnsTel  IN A  20.0.0.2\nwww     IN A  20.0.0.3\nmm      IN A  20.0.0.4\n@       IN MX 10 www.tel.fer.hr.\nmm      IN MX 10 www.tel.fer.hr.\n`,
    '20.in-addr.arpa': `${soa('aRootServer.', 'root.aRootServer.')}\n@                       IN NS  dnsTel.tel.fer.hr.\n2.0.0.20.in-addr.arpa.  IN PTR dnsTel.tel.fer.hr.\n3.0.0.20.in-addr.arpa.  IN PTR www.tel.fer.hr.\n4.0.0.20.in-addr.arpa.  IN PTR mm.tel.fer.hr.\n`,
  },
  dnsZpm: {
    'named.conf': conf(hint + master('zpm.fer.hr', 'zpm') + master('30.IN-ADDR.ARPA', '30.in-addr.arpa')),
    zpm: `${soa('dnsZpm.zpm.fer.hr.', 'root.dnsZpm.zpm.fer.hr.')}\n@        IN NS dnsZpm.zpm.fer.hr.\ndnsZpm   IN A  30.0.0.2\npc       IN A  30.0.0.3\nzpmMail  IN A  30.0.0.4\nwww      IN CNAME zpmMail.zpm.fer.hr.\n@        IN MX 10 zpmMail.zpm.fer.hr.\npc       IN MX 10 zpmMail.zpm.fer.hr.\n`,
    '30.in-addr.arpa': `${soa('aRootServer.', 'root.aRootServer.')}\n@                       IN NS  dnsZpm.zpm.fer.hr.\n2.0.0.30.in-addr.arpa.  IN PTR dnsZpm.zpm.fer.hr.\n3.0.0.30.in-addr.arpa.  IN PTR pc.zpm.fer.hr.\n4.0.0.30.in-addr.arpa.  IN PTR www.zpm.fer.hr.\n`,
  },
};

export const DNS_SERVERS = Object.keys(FILES);
export const CLIENTS = ['mm', 'www', 'pc', 'zpmMail'];

/** What start_dns copies: the servers' named files, the clients' resolv.conf, the servers' empty one. */
export function loadLabFiles(w: World): void {
  for (const [node, files] of Object.entries(FILES)) {
    const f = nodeFiles(w.nodeByName(node)!);
    for (const [name, text] of Object.entries({ ...files, 'localhost.rev': LOCALHOST_REV, 'named.root': HINTS })) f.write(`${NAMEDB}/${name}`, text);
    f.write('/etc/resolv.conf', '');
  }
  for (const [node, domain, ns] of [['mm', 'tel.fer.hr', '20.0.0.2'], ['www', 'tel.fer.hr', '20.0.0.2'], ['pc', 'zpm.fer.hr', '30.0.0.2'], ['zpmMail', 'zpm.fer.hr', '30.0.0.2']]) {
    nodeFiles(w.nodeByName(node)!).write('/etc/resolv.conf', `domain ${domain}\nnameserver ${ns}\n`);
  }
}
