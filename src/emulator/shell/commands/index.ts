// The shell's command table: every command a node terminal offers, by name. Switches
// and hubs get only the commands marked `needsStack: false`.

import type { CommandSpec } from '../types';
import { arpCommand } from './arp';
import { digCommand, hostCommand, namedCommand, nslookupCommand, rndcCommand } from './dns';
import { curlCommand, fetchCommand } from './http';
import { ifconfigCommand } from './ifconfig';
import { ndpCommand, ping6Command, rtadvdCommand, rtsolCommand, traceroute6Command } from './inet6';
import { ipCommand } from './ip';
import { iperf3Command } from './iperf3';
import { ipfwCommand } from './ipfw';
import { iptablesCommand } from './iptables';
import { clearCommand, echoCommand, falseCommand, helpCommand, hostnameCommand, showCommand, trueCommand } from './misc';
import { ncCommand } from './nc';
import { grepCommand, headCommand, sortCommand, tailCommand, wcCommand } from './text';
import { catCommand, edCommand, lsCommand, mkdirCommand, printfCommand, rmCommand, touchCommand } from './files';
import { dhclientCommand, dhcpdCommand, dhcrelayCommand, serviceCommand, killallCommand } from './services';
import { netstatCommand } from './netstat';
import { pingCommand } from './ping';
import { routeCommand } from './route';
import { sleepCommand } from './sleep';
import { sockstatCommand } from './sockets';
import { psCommand } from './ps';
import { sysctlCommand } from './sysctl';
import { tcpdumpCommand } from './tcpdump';
import { tracerouteCommand } from './traceroute';
import { vtyshCommand } from './vtysh';

export function commandTable(): Map<string, CommandSpec> {
  const table = new Map<string, CommandSpec>();
  const all = [
    pingCommand,
    tracerouteCommand,
    ping6Command,
    traceroute6Command,
    ndpCommand,
    rtadvdCommand,
    rtsolCommand,
    ifconfigCommand,
    routeCommand,
    netstatCommand,
    ncCommand,
    iperf3Command,
    fetchCommand,
    tcpdumpCommand,
    curlCommand,
    sockstatCommand,
    psCommand,
    arpCommand,
    sysctlCommand,
    ipCommand,
    ipfwCommand,
    iptablesCommand,
    hostnameCommand,
    echoCommand,
    clearCommand,
    trueCommand,
    falseCommand,
    showCommand,
    sleepCommand,
    vtyshCommand,
    catCommand,
    lsCommand,
    rmCommand,
    mkdirCommand,
    touchCommand,
    grepCommand,
    headCommand,
    tailCommand,
    wcCommand,
    sortCommand,
    printfCommand,
    edCommand,
    serviceCommand,
    killallCommand,
    dhcpdCommand,
    dhclientCommand,
    dhcrelayCommand,
    digCommand,
    hostCommand,
    nslookupCommand,
    namedCommand,
    rndcCommand,
    helpCommand(() => table),
  ];
  for (const c of all) table.set(c.name, c);
  return table;
}
