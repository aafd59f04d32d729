// Small shell built-ins: hostname, echo, clear, true/false, help, and the switch's MAC
// table (`show mac-address-table`). The help text is built from the command table.

import { Bridge } from '../../node/bridge';
import { JOB_BUILTINS } from '../jobs';
import { EXIT, type CommandContext, type CommandSpec } from '../types';

export const hostnameCommand: CommandSpec = {
  name: 'hostname',
  summary: 'print the name of this node',
  needsStack: false,
  run(ctx, args) {
    if (args.length > 0) {
      ctx.out('hostname: the node name is set in the topology editor\n');
      return EXIT.FAILURE;
    }
    ctx.out(`${ctx.node.name}\n`);
    return EXIT.OK;
  },
};

export const echoCommand: CommandSpec = {
  name: 'echo',
  summary: 'write arguments to the terminal',
  needsStack: false,
  run(ctx, args) {
    const noNewline = args[0] === '-n';
    ctx.out((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n'));
    return EXIT.OK;
  },
};

export const clearCommand: CommandSpec = {
  name: 'clear',
  summary: 'clear the terminal screen',
  needsStack: false,
  run(ctx) {
    ctx.out('\x1b[H\x1b[2J');
    return EXIT.OK;
  },
};

export const trueCommand: CommandSpec = { name: 'true', summary: 'return true value', needsStack: false, run: () => EXIT.OK };
export const falseCommand: CommandSpec = { name: 'false', summary: 'return false value', needsStack: false, run: () => EXIT.FAILURE };

function macTable(ctx: CommandContext, args: string[]): number {
  const what = args.join(' ');
  if (!['mac-address-table', 'mac address-table', 'mac'].includes(what)) {
    ctx.out('usage: show mac-address-table\n');
    return EXIT.USAGE;
  }
  const bridge = ctx.node.bridge;
  if (!(bridge instanceof Bridge)) {
    const why = ctx.node.kind === 'hub' ? 'is a hub: it keeps no MAC table and repeats every frame to every port' : `is a ${ctx.node.kind}: it keeps no MAC table`;
    ctx.out(`show: ${ctx.node.name} ${why}\n`);
    return EXIT.FAILURE;
  }
  const rows = bridge.macTable();
  // A VLAN-filtering switch learns per VLAN: show which one each entry belongs to.
  const vlan = bridge.vlans !== null;
  ctx.lines([
    `${vlan ? 'Vlan  ' : ''}Mac Address        Port     Age(s)`,
    `${vlan ? '----  ' : ''}-----------------  -------  ------`,
    ...rows.map((r) => `${vlan ? `${String(r.vlan ?? '').padStart(4)}  ` : ''}${r.mac}  ${r.port.padEnd(7)}  ${String(Math.floor(r.ageNs / 1e9)).padStart(6)}`),
    `Total Mac Addresses: ${rows.length}`,
  ]);
  return EXIT.OK;
}

export const showCommand: CommandSpec = {
  name: 'show',
  summary: 'show mac-address-table: the switch forwarding table',
  needsStack: false,
  run(ctx, args) {
    if (ctx.node.stack) {
      ctx.out('sh: show: not found\n');
      return EXIT.NOT_FOUND;
    }
    return macTable(ctx, args);
  },
};

export function helpCommand(table: () => Map<string, CommandSpec>): CommandSpec {
  return {
    name: 'help',
    summary: 'list the commands of this node',
    needsStack: false,
    run(ctx) {
      const rows: { name: string; summary: string }[] = [...table().values()].filter((c) => (ctx.node.stack ? c.name !== 'show' : !c.needsStack));
      rows.push(...JOB_BUILTINS);
      rows.sort((a, b) => a.name.localeCompare(b.name));
      ctx.lines([`Commands on ${ctx.node.name} (${ctx.node.kind}):`, ...rows.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`)]);
      return EXIT.OK;
    },
  };
}
