// A terminal's input path against the real Engine over an in-memory port: type-ahead
// during a running ping runs after it, in order, with its echo after the prompt; a paste
// of several lines runs line by line; Tab completes through shell/complete (issue 9); cat
// reads typed lines until Ctrl-D; Ctrl-Z reaches the engine as shell/suspend.
import { afterEach, describe, expect, it } from 'vitest';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine } from './real-engine.test-util';
import { TerminalController } from './terminal-controller';

afterEach(disposeRealEngine);

async function terminal() {
  const { store, settle } = storeOnRealEngine();
  await store.getState().start(pcRouterPc());
  await store.getState().setSpeed('max');
  const session = (await store.getState().openShell('n0'))!;
  const screen = { text: '' };
  const ctl = new TerminalController(
    (t) => (screen.text += t),
    {
      exec: (line) => void store.getState().exec(session, line),
      interrupt: () => void store.getState().interrupt(session),
      suspend: () => void store.getState().suspend(session),
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

  it('Ctrl-Z sends shell/suspend for the running command and drops the type-ahead', async () => {
    const { ctl, screen, store, settle } = await terminal();
    ctl.input('sleep 1000\r');
    ctl.input('hostname\r');
    ctl.input('\x1a');
    expect(screen.text).toMatch(/\^Z$/);
    expect(ctl.editor.pendingInput).toBe('');
    await settle();
    expect(screen.text).not.toContain('hostname');
    // The engine kept Ctrl-Z as an input of the run (for step back), so the run is no scenario.
    expect(await store.getState().scenario()).toBeNull();
    expect(store.getState().log.map((e) => e.text)).toContainEqual(expect.stringContaining('a command was stopped (Ctrl-Z)'));
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

  it('cat > FILE reads the typed lines until Ctrl-D, then the shell has the terminal again', async () => {
    const { ctl, screen, until, store, settle } = await terminal();
    ctl.input('cat > /etc/motd\r');
    await settle();
    ctl.input('first line\r');
    ctl.input('second\r');
    ctl.input('\x04');
    await until(/second\r\npc1# $/);
    ctl.input('cat /etc/motd | wc -l\r');
    await until(/ {7}2\r\npc1# $/);
    expect(screen.text).toContain('first line\r\nsecond\r\n');
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
