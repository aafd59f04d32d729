// The programs running on one node, as ps(1), kill(1), killall(1) and sockstat(1) see
// them: shell commands that keep running (jobs, daemons, a foreground command), the rc
// services and the daemons the node starts. PIDs count up per node from FIRST_PID, as a
// jail's programs share one process table whichever terminal started them. Knows nothing
// of what a program does: each entry says how to end it.

import type { SocketOwner } from '../stack/tcp';
import type { NetStack } from '../stack/types';
import type { ProcGate } from './proc-gate';
import { SIG, signalAction } from './signals';

/** A program with a PID (pid 0: still starting; one that ends at once never gets one). */
export interface Proc {
  pid: number;
  /** argv[0] as ps's COMMAND, killall and sockstat name it (`iperf3`, `dhcpd`). */
  readonly name: string;
  /** The whole command line, as `ps` prints it. */
  command: string;
  /** The terminal it belongs to (ps's TT: `0`, `1`), or null for a daemon. */
  tty: string | null;
  /** In its terminal's foreground (ps's `+`). */
  foreground: boolean;
  startedNs: number;
  /**
   * Ends it as a signal that is not caught does (SIGTERM when none is named; the status is
   * 128 + the signal); the program leaves the table (endProc) on its way out.
   */
  kill: (signal?: number) => void;
  /** The next file descriptor a socket it opens gets (0–2 are its standard streams). */
  nextFd: number;
  /** Present when it can be stopped (Ctrl-Z, kill -STOP): all it runs passes through here. */
  gate?: ProcGate;
  /** The signal that stopped it (ps's `T`; jobs says `Suspended` for SIGTSTP). */
  stopSignal?: number;
  /** A signal sent while it was stopped: it takes effect when the program continues, as the kernel holds it. */
  pendingSignal?: number;
  /** Its shell's hook when it stops (its terminal gives the prompt back if it was in the foreground). */
  onStop?: () => void;
}

export interface NodeProcs {
  nextPid: number;
  /** The next terminal's number (ps's TT). */
  nextTty: number;
  readonly list: Proc[];
  /**
   * The UDP sockets programs hold, by `4:PORT` / `6:PORT`, with the receiver that was bound
   * when the program took it: an entry counts only while that receiver is still the port's
   * (the stack's UDP tables hold no owner; sockstat asks here).
   */
  udp?: Map<string, { receiver: unknown; owner: SocketOwner }>;
}

/** The first PID of a node (FreeBSD's early boot takes the ones below). */
export const FIRST_PID = 1001;
/** Programs one node may run at once; beyond, starting one fails as fork(2) does (EAGAIN). */
export const PROCS_MAX = 1024;

interface HasProcs {
  procs?: NodeProcs;
  readonly stack?: NetStack | null;
}

/** A program about to start: it gets a PID from runProc once it keeps running. */
export function newProc(name: string, command: string, tty: string | null): Proc {
  return { pid: 0, name, command, tty, foreground: false, startedNs: 0, kill: noop, nextFd: 3 };
}

/** Enters `p` in the node's table with the next PID; false past PROCS_MAX (it must not run). */
export function runProc(node: HasProcs, p: Proc, nowNs: number, kill: () => void): boolean {
  if (p.pid !== 0) return true;
  p.startedNs = nowNs;
  p.kill = kill;
  const t = node.procs;
  if (t === undefined) {
    // A node's first program (a host's httpd from Start): a list of exactly one, not the
    // 17 slots a push into an empty array reserves. Every host pays for this table.
    p.pid = FIRST_PID;
    node.procs = { nextPid: FIRST_PID + 1, nextTty: 0, list: [p] };
    return true;
  }
  if (t.list.length >= PROCS_MAX) return false;
  p.pid = t.nextPid++;
  t.list.push(p);
  return true;
}

function table(node: HasProcs): NodeProcs {
  return (node.procs ??= { nextPid: FIRST_PID, nextTty: 0, list: [] });
}

/** A new terminal on the node: its name in ps's TT column (`0`, `1`, … as pts/N). */
export function openTty(node: HasProcs): string {
  return String(table(node).nextTty++);
}

/** A daemon the node itself starts (rc, the routing suite): its entry, or null past PROCS_MAX. */
export function runDaemonProc(node: HasProcs, name: string, command: string, nowNs: number, kill: () => void): Proc | null {
  const p = newProc(name, command, null);
  return runProc(node, p, nowNs, kill) ? p : null;
}

/** The program ended (or was killed): it leaves the table, and nothing it had not run yet will run. */
export function endProc(node: HasProcs, p: Proc | null | undefined): void {
  p?.gate?.clear();
  const list = node.procs?.list;
  if (p == null || list === undefined) return;
  const i = list.indexOf(p);
  if (i >= 0) list.splice(i, 1);
}

/** The node's programs, oldest first. */
export function procList(node: HasProcs): readonly Proc[] {
  return node.procs?.list ?? [];
}

/** The owner of a socket as sockstat shows it: null when its program has ended (or has no PID yet). */
export function liveOwner(node: HasProcs, o: SocketOwner | null): SocketOwner | null {
  if (o === null || o.proc.pid === 0) return null;
  return node.procs?.list.some((p) => p === o.proc) === true ? o : null;
}

export function procByPid(node: HasProcs, pid: number): Proc | undefined {
  return node.procs?.list.find((p) => p.pid === pid);
}

/** The receiver bound to UDP `port` of `family` on the node's stack now, if any. */
function udpReceiver(node: HasProcs, family: 4 | 6, port: number): unknown {
  const stack = node.stack;
  if (stack == null) return undefined;
  return family === 4 ? stack.udp?.get(port) : stack.inet6?.udp?.get(port);
}

/** The UDP socket just bound to `port` is `proc`'s (a descriptor of its own), until the port changes hands. */
export function ownUdp(node: HasProcs, family: 4 | 6, port: number, proc: { readonly pid: number; readonly name: string; nextFd: number }): void {
  const receiver = udpReceiver(node, family, port);
  if (receiver === undefined) return;
  const t = table(node);
  (t.udp ??= new Map()).set(`${family}:${port}`, { receiver, owner: { proc, fd: proc.nextFd++ } });
}

/** Who holds UDP `port`, or null: nobody recorded, or the port changed hands since. */
export function udpOwner(node: HasProcs, family: 4 | 6, port: number): SocketOwner | null {
  const key = `${family}:${port}`;
  const e = node.procs?.udp?.get(key);
  if (e === undefined) return null;
  if (e.receiver === udpReceiver(node, family, port)) return e.owner;
  node.procs!.udp!.delete(key);
  return null;
}

function noop(): void {}

/**
 * Sends `signal` to `p` as the kernel delivers one that is not caught: a stop signal stops a
 * program that can be stopped (false when it cannot), SIGCONT continues it (and a signal held
 * meanwhile then takes effect), SIGKILL ends it even stopped, and any other fatal signal
 * waits while it is stopped. Signal 0 only checks that it exists.
 */
export function signalProc(p: Proc, signal: number): boolean {
  const g = p.gate;
  switch (signalAction(signal)) {
    case 'none':
    case 'ignore':
      return true;
    case 'stop':
      if (g === undefined) return false;
      if (!g.stopped) {
        p.stopSignal = signal;
        g.stop();
        p.onStop?.();
      }
      return true;
    case 'continue':
      continueProc(p);
      return true;
    case 'terminate':
      if (g?.stopped === true && signal !== SIG.KILL) p.pendingSignal ??= signal;
      else p.kill(signal);
      return true;
  }
}

/** SIGCONT: a stopped program runs again; a fatal signal it got meanwhile ends it now. */
export function continueProc(p: Proc): void {
  const g = p.gate;
  if (g === undefined || !g.stopped) return;
  p.stopSignal = undefined;
  g.resume();
  const pending = p.pendingSignal;
  if (pending !== undefined) {
    p.pendingSignal = undefined;
    p.kill(pending);
  }
}
