// Scenarios saved from the app: the run store (the app's run mode, on the real engine over an
// in-memory port) takes its run's inputs as a scenario, and "Replay scenario" on a document
// with it gives the same timeline again (every traffic record: time, node, interfaces,
// summary), paused at its end. The CLI side (virtnet run --replay of such a scenario) is
// test/cli/scenario-app.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import type { TopologyDoc } from '../../emulator/topology/document';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine } from './real-engine.test-util';
import { rowIfaces } from './timeline';

afterEach(disposeRealEngine);

type Store = ReturnType<typeof storeOnRealEngine>['store'];

/** One traffic record as both sides can write it. */
function appLine(doc: TopologyDoc, e: TrafficEvent): string {
  const io = rowIfaces(e);
  return [e.timeNs, doc.nodes.find((n) => n.id === e.node)?.name ?? e.node, e.action, io.in, io.out, e.summary].join(' | ');
}

async function until(store: Store, settle: () => Promise<void>, session: number, re: RegExp) {
  for (let i = 0; i < 20 && !re.test(store.shells.transcript(session)); i++) await settle();
  expect(store.shells.transcript(session)).toMatch(re);
}

describe('a scenario saved from the app', () => {
  it('replays in the app to the same timeline, paused at its end', async () => {
    const doc = pcRouterPc();
    const { store, settle } = storeOnRealEngine();
    await store.getState().start(doc, 5);
    await store.getState().setSpeed('max');
    const pc1 = (await store.getState().openShell('n0'))!;
    await store.getState().exec(pc1, 'ping -c 2 10.0.1.20');
    await until(store, settle, pc1, /2 packets received/);
    const router = (await store.getState().openShell('n1'))!;
    await store.getState().exec(router, 'route add 10.9.0.0/16 10.0.1.20');
    await settle();
    await store.getState().exec(pc1, 'ping -c 1 -t 3 10.9.9.9');
    await until(store, settle, pc1, /1 packets transmitted/);
    await store.getState().pause();
    store.flushNow();
    const sc = (await store.getState().scenario())!;
    expect(sc.seed).toBe(5);
    expect(sc.inputs.map((x) => [x.node, x.exec])).toEqual([['pc1', 'ping -c 2 10.0.1.20'], ['router1', 'route add 10.9.0.0/16 10.0.1.20'], ['pc1', 'ping -c 1 -t 3 10.9.9.9']]);
    expect(sc.inputs[1]!.afterEvents).toBeGreaterThan(sc.inputs[0]!.afterEvents);
    expect(sc.inputs[2]!.atNs).toBeGreaterThan(1e9);
    const shown = store.timeline.all().map((e) => appLine(doc, e));
    const pc1Text = store.shells.transcript(pc1);
    await store.getState().stop();

    // Replay scenario in the app: the same timeline again, paused at its end.
    const again = storeOnRealEngine();
    expect(await again.store.getState().replayScenario({ ...doc, scenario: sc })).toBe(true);
    await again.settle();
    again.store.flushNow();
    expect(again.store.getState().playing).toBe(false);
    expect(again.store.getState().clock!.nowNs).toBe(sc.untilNs);
    expect(again.store.getState().displayNs()).toBe(sc.untilNs);
    const replayedInApp = again.store.timeline.all().map((e) => appLine(doc, e));
    expect(replayedInApp.slice(0, shown.length)).toEqual(shown);
    expect(again.store.getState().terminals.map((t) => t.nodeName)).toEqual(['pc1', 'router1']);
    const replayedPc1 = again.store.getState().terminals[0]!.session;
    expect(again.store.shells.transcript(replayedPc1)).toBe(pc1Text);
    await again.store.getState().stop();
  });
});
