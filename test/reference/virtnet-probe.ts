// Runs a reference probe in VirtNet through the shell (the same commands a user types:
// FreeBSD's `traceroute -n -q 1` and `ping -n -c 1 -m TTL`) and reduces the output to the
// answering addresses, as for the kernel. Test support only.

import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { pingResponder, tracerouteHops, virtnetDoc, type RefProbe, type RefTopology } from './ref-topology';

export function virtnetWorld(t: RefTopology): World {
  return new World(virtnetDoc(t));
}

/** Hop addresses (traceroute) or the one answering address (ping), `*` for silence. */
export function virtnetAnswer(w: World, p: RefProbe): string[] {
  if (p.kind === 'ping') return [pingResponder(runCommand(w, p.from, `ping -n -c 1 -m ${p.ttl ?? 64} ${p.to}`).output)];
  return tracerouteHops(runCommand(w, p.from, `traceroute -n -q 1 -w 1 -m ${p.maxHops ?? 6} ${p.to}`).output);
}
