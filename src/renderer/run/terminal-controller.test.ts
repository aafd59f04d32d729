// A terminal's input path against the real Engine over an in-memory port: type-ahead
// during a running ping runs after it, in order, with its echo after the prompt; a paste
// of several lines runs line by line; Tab completes through shell/complete (issue 9).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import { summarizeFrame } from '../../emulator/wire/decode';
import { portLikeEnginePort } from '../../worker/client';
import { createMemoryPortPair } from '../../worker/memory-port';
import { serveEngine, type ServedEngine } from '../../worker/serve';
import type { EnginePort } from './engine-client';
import { createRunStore } from './run-store';
import { TerminalController } from './terminal-controller';

function pcRouterPc(): TopologyDoc {
  const d = emptyDocument();
  const node = (id: string, kind: string, name: string, ifaces: [string, string, string][], gw?: string) => ({
    id, kind, name, canvas: 'c0', position: { x: 0, y: 0 },
    interfaces: ifaces.map(([n, mac, ip]) => ({ name: n, type: 'phys', mac, ipv4: [ip], ipv6: [] })),
    routes4: gw ? [{ dest: '0.0.0.0/0', gateway: gw }] : [], routes6: [],
  });
  d.nodes.push(node('n0', 'pc', 'pc1', [['eth0', '42:00:aa:00:00:01', '10.0.0.20/24']], '10.0.0.1'));
  d.nodes.push(node('n1', 'router', 'router1', [['eth0', '42:00:aa:00:00:02', '10.0.0.1/24'], ['eth1', '42:00:aa:00:00:03', '10.0.1.1/24']]));
  d.nodes.push(node('n2', 'pc', 'pc2', [['eth0', '42:00:aa:00:00:04', '10.0.1.20/24']], '10.0.1.1'));
  d.links.push({ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } });
  d.links.push({ id: 'l1', a: { node: 'n1', iface: 'eth1' }, b: { node: 'n2', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS, delayUs: 1000 } });
  return d;
}

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

async function terminal() {
  const frames: (() => void)[] = [];
  const store = createRunStore({
    createPort: (): EnginePort => {
      const [ui, host] = createMemoryPortPair();
      served = serveEngine(host, { tickMs: 0, clock: () => 0 });
      const port = portLikeEnginePort(ui);
      return { ...port, close: () => (port.close(), served?.dispose()) };
    },
    summarize: summarizeFrame,
    schedule: (cb) => frames.push(cb),
    nowMs: () => 0,
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      served?.tick();
      await new Promise((r) => setTimeout(r, 0));
      frames.splice(0).forEach((f) => f());
    }
  };
  await store.getState().start(pcRouterPc());
  await store.getState().setSpeed('max');
  const session = (await store.getState().openShell('n0'))!;
  const screen = { text: '' };
  const ctl = new TerminalController(
    (t) => (screen.text += t),
    {
      exec: (line) => void store.getState().exec(session, line),
      interrupt: () => void store.getState().interrupt(session),
      stdin: (text) => void store.getState().input(session, text),
      complete: (line, cursor) => store.getState().complete(session, line, cursor),
      clear: () => undefined,
    },
    store.shells.prompt(session),
    store.shells.isBusy(session),
  );
  store.shells.attach(session, { write: (t) => (screen.text += t), done: (_c, prompt) => ctl.done(prompt), stdin: (open) => ctl.stdin(open) });
  const until = async (re: RegExp) => {
    for (let i = 0; i < 20 && !re.test(screen.text); i++) await settle();
    expect(screen.text).toMatch(re);
  };
  return { store, ctl, screen, settle, until, session };
}

describe('terminal input with the real engine', () => {
  it('runs a command typed during ping -c 2 after it, key by key, echoed after the prompt', async () => {
    const { ctl, screen, until, store } = await terminal();
    ctl.input('ping -c 2 10.0.1.20\r');
    for (const k of 'hostname\r') ctl.input(k);
    await until(/pc1\r\npc1# $/);
    const after = screen.text.slice(screen.text.indexOf('packets received'));
    // The echo of `hostname` sits after the prompt that follows ping's summary, then its output.
    expect(after).toMatch(/round-trip[^\n]*\r\npc1# \rpc1# hostname\x1b\[K\r\npc1\r\npc1# $/);
    expect(screen.text.match(/hostname/g)).toHaveLength(1);
    await store.getState().stop();
  });

  it('runs a multi-line paste line by line in order', async () => {
    const { ctl, screen, until, store } = await terminal();
    ctl.input('echo one\recho two\rhostname\r');
    await until(/pc1\r\npc1# $/);
    const visible = screen.text.replace(/\rpc1# /g, 'pc1# ').replace(/\x1b\[K/g, '').replace(/pc1# pc1# /g, 'pc1# ');
    expect(visible).toContain('pc1# echo one\r\none\r\npc1# echo two\r\ntwo\r\npc1# hostname\r\npc1\r\npc1# ');
    await store.getState().stop();
  });

  it('Ctrl-C interrupts the running command and drops the type-ahead', async () => {
    const { ctl, screen, until, store } = await terminal();
    ctl.input('sleep 1000\r');
    ctl.input('hostname\r');
    ctl.input('\x03');
    await until(/\^C\r\npc1# $/);
    expect(screen.text).not.toContain('hostname');
    await store.getState().stop();
  });

  it('lines typed while nc runs go to its standard input, echoed; after it ends typing is for the shell again', async () => {
    const { ctl, screen, until, store, settle } = await terminal();
    ctl.input('nc -l 5000\r');
    await settle();
    const peer = (await store.getState().openShell('n2'))!;
    await store.getState().exec(peer, 'nc 10.0.0.20 5000');
    await settle();
    ctl.input('hello pc2\r');
    expect(screen.text).toContain('hello pc2\r\n');
    for (let i = 0; i < 20 && !store.shells.transcript(peer).includes('hello pc2'); i++) await settle();
    expect(store.shells.transcript(peer)).toContain('hello pc2\r\n');
    // Ctrl-C ends nc; the next line is a shell command again.
    ctl.input('\x03');
    await until(/pc1# $/);
    ctl.input('hostname\r');
    await until(/pc1\r\npc1# $/);
    await store.getState().stop();
  });

  it('completes with Tab through the engine', async () => {
    const { ctl, screen, until, store } = await terminal();
    ctl.input('hostn\t');
    await until(/hostname \x1b\[K$/);
    expect(ctl.editor.line).toBe('hostname ');
    ctl.input('\x15ping r\t');
    await until(/ping router1 \x1b\[K$/);
    await store.getState().stop();
  });
});
