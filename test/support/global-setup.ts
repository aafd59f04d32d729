// Vitest global setup (once per run, before any test file): says in one line what is
// skipped because a tool is missing, so a green run without tshark is never mistaken for
// one whose captures were dissected.
import { TSHARK, tsharkAvailable } from './tshark';

export default function setup(): void {
  if (!tsharkAvailable()) {
    console.log(`tshark not found (${TSHARK}): capture checks by the real dissector are skipped; install it (apt-get install tshark) to run them`);
  }
}
