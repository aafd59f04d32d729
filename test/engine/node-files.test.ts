// Files edited in a node's shell during a run are reported by `net/files` (against the files
// the nodes had once started, startup writes included) and can be put back into the
// document: added, edited and removed files, per node, nothing for untouched nodes.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/emulator/engine/engine';
import { setNodeFiles } from '../../src/emulator/topology/edit';
import { runCommand } from '../../src/emulator/shell';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { twoPcs } from '../scenarios/topologies';

function doc(): TopologyDoc {
  const d = twoPcs();
  return {
    ...d,
    nodes: d.nodes.map((n, k) => (k === 0 ? { ...n, files: { '/etc/hosts': '10.0.0.21 pc2\n', '/etc/old': 'x\n' }, startup: ['echo started > /var/run/boot'] } : n)),
  };
}

describe('net/files', () => {
  it('reports the nodes whose files changed since start, and the document takes them back', async () => {
    const engine = new Engine(() => undefined);
    const d = doc();
    await engine.handle({ type: 'net/start', doc: d, seed: 1 });
    // What the startup configuration wrote is the baseline, not a change.
    expect((await engine.handle({ type: 'net/files' })).nodes).toEqual([]);
    const w = engine.world!;
    const pc1 = d.nodes[0];
    expect(runCommand(w, pc1.name, 'echo "10.0.0.1 gw" >> /etc/hosts; rm /etc/old; echo hi > /etc/motd').exitCode).toBe(0);
    const { nodes } = await engine.handle({ type: 'net/files' });
    expect(nodes).toEqual([
      { node: pc1.id, name: pc1.name, changed: ['/etc/hosts', '/etc/motd', '/etc/old'], files: { '/etc/hosts': '10.0.0.21 pc2\n10.0.0.1 gw\n', '/etc/motd': 'hi\n', '/var/run/boot': 'started\n' } },
    ]);
    const kept = setNodeFiles(d, nodes);
    if ('error' in kept) throw new Error(kept.error);
    expect(kept.doc.nodes[0].files).toEqual(nodes[0].files);
    expect(kept.doc.nodes[1]).toBe(d.nodes[1]);
    // A node left without files loses the field; an unknown node is refused.
    const none = setNodeFiles(d, [{ node: pc1.id, files: {} }]);
    expect('doc' in none && none.doc.nodes[0]).not.toHaveProperty('files');
    expect(setNodeFiles(d, [{ node: 'nope', files: {} }])).toEqual({ error: 'no node with id "nope"' });
    await engine.handle({ type: 'net/stop' });
    await expect(engine.handle({ type: 'net/files' })).rejects.toMatchObject({ code: 'not-running' });
  });
});
