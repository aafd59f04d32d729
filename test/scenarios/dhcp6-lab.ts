// IMUNES's DHCP6 lab for scenario tests: DHCP6.imn through the real parser, and the
// dhcpd6.conf and rtadvd.conf its start scripts copy (imunes-examples DHCP6+RSOL). Test support only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';

/** dhcpd6.conf of IMUNES's DHCP6+RSOL example, as start_dhcpd6 copies it. */
export const DHCPD6_CONF = `# Server configuration file example for DHCPv6
authoritative;
dhcpv6-lease-file-name "/var/db/dhcpd6.leases";
host otherclient {
        hardware ethernet 42:aa:bb:00:aa:bb;
        fixed-address6 fc00:3::50;
}
subnet6 fc00:3::/64 {
\trange6 fc00:3::100 fc00:3::109;
}
`;
export const RTADVD_CONF = 'eth1:\\\n\t:addr="fc00:3::":prefixlen#64:\n';

export function dhcp6Imn(): TopologyDoc {
  const file = join(IMUNES_EXAMPLES, 'DHCP6.imn');
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

