// The test files that open IMUNES's example files (../shared/imunes-examples, found by
// paths.ts). A checkout without that folder (a clone on its own, away from the workspace)
// skips exactly these files, and says so in one line; every other file still runs. CI sets
// VIRTNET_REQUIRE_IMUNES_EXAMPLES=1, so there a missing folder fails the files instead of
// skipping them. A new test that opens an example belongs in this list.
import { existsSync } from 'node:fs';
import { findImunesExamples } from './paths';

export const FILES_NEEDING_IMUNES_EXAMPLES: readonly string[] = [
  'test/cli/cli.test.ts',
  'test/cli/file-fuzz.test.ts',
  'test/cli/imunes-examples.test.ts',
  'test/e2e/dhcp6-lab.test.ts',
  'test/e2e/editor-annotate.test.ts',
  'test/e2e/editor-files.test.ts',
  'test/engine/imunes-examples.test.ts',
  'test/golden/imunes-rip.test.ts',
  'test/imunes-run/imunes-labs.test.ts',
  'test/imunes-run/imunes-lan-sweep.test.ts',
  'test/imunes-run/imunes-ping.test.ts',
  'test/imunes-run/imunes-vlan.test.ts',
  'test/imunes-run/imunes-warnings.test.ts',
  'test/reference/tcpdump-format.test.ts',
  'test/scenarios/bgp.test.ts',
  'test/scenarios/captures.test.ts',
  'test/scenarios/dhcp.test.ts',
  'test/scenarios/dhcp6.test.ts',
  'test/scenarios/dns-imunes.test.ts',
  'test/scenarios/filter-packgen.test.ts',
  'test/scenarios/imunes-dmz.test.ts',
  'test/scenarios/ipv6.test.ts',
  'test/scenarios/ospf-areas.test.ts',
  'test/scenarios/ospf.test.ts',
  'test/scenarios/ospf6.test.ts',
  'test/scenarios/rip.test.ts',
  'test/scenarios/ripng.test.ts',
  'test/scenarios/startup.test.ts',
  'test/scenarios/stp.test.ts',
  'test/support/paths.test.ts',
  'test/topology/file-hardening.test.ts',
  'test/topology/imunes-errors.test.ts',
  'test/topology/imunes-examples.test.ts',
  'test/vlan/vlan-warnings.test.ts',
];

/** The files to leave out of this run (none when the examples are there or CI requires them), and the line that says why. */
export function imunesExamplesSkip(root: string, env: NodeJS.ProcessEnv = process.env): { exclude: string[]; note: string | null } {
  const dir = findImunesExamples(root, env);
  if (existsSync(dir) || env.VIRTNET_REQUIRE_IMUNES_EXAMPLES === '1') return { exclude: [], note: null };
  return {
    exclude: [...FILES_NEEDING_IMUNES_EXAMPLES],
    note: `IMUNES examples not found (${dir}; set VIRTNET_IMUNES_EXAMPLES to their folder): the ${FILES_NEEDING_IMUNES_EXAMPLES.length} test files that open them are skipped`,
  };
}
