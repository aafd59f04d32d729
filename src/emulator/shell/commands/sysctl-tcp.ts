// The TCP OIDs of `sysctl` (net.inet.tcp.*): the congestion-control choice per node
// (writable, from the algorithms the stack offers), SACK on/off and the initial receive buffer
// (writable) and FreeBSD's timer and buffer defaults the stack uses (read only: they are
// constants of stack/tcp).

import { TCP_CC_NAMES, tcpCcAlgorithm, tcpRecvSpace, tcpSackEnabled, tcpSetCcAlgorithm, tcpSetRecvSpace, tcpSetSackEnabled } from '../../stack/tcp';
import type { CommandContext } from '../types';

export interface SysctlOid {
  get(ctx: CommandContext): string;
  /** True when set; false for a bad integer; a string is the whole error message. */
  set?(ctx: CommandContext, value: string): boolean | string;
}

const constant = (v: number): SysctlOid => ({ get: () => String(v) });

export const TCP_OIDS: Readonly<Record<string, SysctlOid>> = {
  'net.inet.tcp.cc.algorithm': {
    get: (ctx) => tcpCcAlgorithm(ctx.stack),
    set: (ctx, v) => (tcpSetCcAlgorithm(ctx.stack, v) ? true : `sysctl: net.inet.tcp.cc.algorithm=${v}: No such file or directory`),
  },
  'net.inet.tcp.cc.available': { get: () => TCP_CC_NAMES.join(', ') },
  'net.inet.tcp.msl': constant(30000),
  'net.inet.tcp.delacktime': constant(40),
  'net.inet.tcp.rexmit_min': constant(30),
  'net.inet.tcp.rexmit_slop': constant(200),
  'net.inet.tcp.mssdflt': constant(536),
  'net.inet.tcp.sendspace': constant(32768),
  'net.inet.tcp.recvspace': {
    get: (ctx) => String(tcpRecvSpace(ctx.stack)),
    set: (ctx, v) => (/^[0-9]+$/.test(v) && tcpSetRecvSpace(ctx.stack, Number(v)) ? true : `sysctl: net.inet.tcp.recvspace=${v}: Invalid argument`),
  },
  'net.inet.tcp.sendbuf_max': constant(2097152),
  'net.inet.tcp.recvbuf_max': constant(2097152),
  'net.inet.tcp.initcwnd_segments': constant(10),
  'net.inet.tcp.rfc1323': constant(1),
  'net.inet.tcp.sack.enable': {
    get: (ctx) => (tcpSackEnabled(ctx.stack) ? '1' : '0'),
    set: (ctx, v) => {
      if (v !== '0' && v !== '1') return false;
      tcpSetSackEnabled(ctx.stack, v === '1');
      return true;
    },
  },
};
