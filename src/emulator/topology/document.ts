// The topology document: the one data model that the editor edits, files store, and the
// engine runs. Plain JSON-serializable values only (no classes, no Maps), so it can cross
// worker ports and be diffed. Validation lives in vnet-schema.ts (shape) and check.ts
// (meaning), migration in vnet.ts; this file only declares the shape and its defaults.

import type { LabDoc } from './lab';
import type { ScenarioDoc } from './scenario';

/** Current version of the native `.vnet` document. Bump with a migration in vnet.ts. */
export const DOC_VERSION = 1 as const;

/** Node kinds the engine emulates. Other kinds (from IMUNES files) are kept as-is. */
export const EMULATED_KINDS = ['pc', 'host', 'router', 'lanswitch', 'hub', 'stpswitch', 'filter', 'packgen'] as const;
export type EmulatedKind = (typeof EMULATED_KINDS)[number];
/** Any kind string; kinds outside EMULATED_KINDS load, save and draw but do not run. */
export type NodeKind = EmulatedKind | (string & {});

export interface Point {
  x: number;
  y: number;
}

export interface InterfaceDoc {
  /** Interface name as the node's shell shows it: `eth0`, `lo0`, `e0` … */
  name: string;
  /** `phys` (a link end), `lo` (loopback), or another IMUNES type kept verbatim. */
  type: 'phys' | 'lo' | (string & {});
  /** MAC as `42:00:aa:00:00:01`; absent for loopback and switch ports. */
  mac?: string;
  /** IPv4 addresses in CIDR notation, primary first: `10.0.0.20/24`. */
  ipv4: string[];
  /** IPv6 addresses in CIDR notation; kept and saved, not run until the IPv6 stack exists. */
  ipv6: string[];
  /** Bytes; absent means 1500. */
  mtu?: number;
  /** Administratively down when false; absent means up. */
  up?: boolean;
  /** The node runs `dhclient` on this interface at Start (its address comes from a DHCP server). */
  dhcp?: boolean;
  /** Fields imported from another format that VirtNet does not model (IMUNES `vlan_tag` …). */
  extra?: Record<string, unknown>;
}

export interface RouteDoc {
  /** Destination prefix in CIDR notation (`0.0.0.0/0` for the default route). */
  dest: string;
  /** Next-hop address. */
  gateway: string;
}

export interface NodeDoc {
  /** Stable id, unique in the document: `n0`, `n1` … (IMUNES style). */
  id: string;
  kind: NodeKind;
  /** Name the user sees and the CLI addresses (`pc1`, `router1`); unique. */
  name: string;
  /** Canvas id this node is drawn on (`c0`). */
  canvas: string;
  /** Icon centre in canvas coordinates. */
  position: Point;
  /** Label centre; absent means just below the icon. */
  labelPosition?: Point;
  interfaces: InterfaceDoc[];
  /** Static IPv4 routes (IMUNES `croutes4`, `ip route` lines). */
  routes4: RouteDoc[];
  /** Static IPv6 routes, kept for round trip. */
  routes6: RouteDoc[];
  /** IP forwarding; absent means the kind's default (on for routers, off otherwise). */
  forwarding?: boolean;
  /** Startup configuration: shell commands the node runs at Start, in order (IMUNES custom config). */
  startup?: string[];
  /**
   * The node's FRR/Quagga configuration as frr.conf text (DESIGN decision 9): zebra's
   * static routes and the routing daemons it starts. Absent: no routing daemons (IMUNES
   * model `static`, pcs, hosts).
   */
  frrConf?: string;
  /**
   * The node's private files by absolute path (`/usr/local/etc/dhcpd.conf`, `/etc/hosts`),
   * loaded into its file system at Start; bounded as node/files.ts bounds them.
   */
  files?: Record<string, string>;
  /**
   * Fields imported from another format that VirtNet does not model (IMUNES `model`,
   * `services`, `custom-config`, routing-daemon config …). Kept verbatim so a save
   * writes them back; never interpreted by the engine.
   */
  extra?: Record<string, unknown>;
}

/** Per-direction link parameters. Units are in the names; 0 means "none"/"unlimited". */
export interface LinkParams {
  /** Bits per second; 0 = unlimited (no serialization delay). */
  bandwidthBps: number;
  /** One-way propagation delay in microseconds (IMUNES semantics). */
  delayUs: number;
  /** Jitter in microseconds: each frame's delay is delayUs + uniform[0, jitterUs). */
  jitterUs: number;
  /** Frame loss probability in percent (0–100, fractions allowed). */
  lossPercent: number;
  /** Bit error rate as "one in N bits" (IMUNES `ber`); 0 = none. A hit frame is dropped. */
  berOneIn: number;
  /** Duplication probability in percent (0–100). */
  dupPercent: number;
  /** Drop-tail queue length in packets. */
  queuePackets: number;
}

export const DEFAULT_LINK_PARAMS: Readonly<LinkParams> = Object.freeze({
  bandwidthBps: 0,
  delayUs: 0,
  jitterUs: 0,
  lossPercent: 0,
  berOneIn: 0,
  dupPercent: 0,
  queuePackets: 50,
});

export interface LinkEnd {
  /** Node id. */
  node: string;
  /** Interface name on that node. */
  iface: string;
}

export interface LinkDoc {
  /** Stable id, unique in the document: `l0`, `l1` … */
  id: string;
  a: LinkEnd;
  b: LinkEnd;
  /** Parameters a→b, and b→a too unless `paramsBA` is given. */
  params: LinkParams;
  /** Parameters b→a when the link is asymmetric. */
  paramsBA?: LinkParams;
  /** Carrier: false means the link is down (both ends lose carrier). Absent means up. */
  up?: boolean;
  /** Drawing: CSS colour and width in px (IMUNES `color`, `width`). */
  color?: string;
  width?: number;
  extra?: Record<string, unknown>;
}

export type AnnotationKind = 'rectangle' | 'oval' | 'text' | 'freeform';

export interface AnnotationDoc {
  id: string;
  kind: AnnotationKind;
  canvas: string;
  /** rectangle/oval: [x1, y1, x2, y2]; text: [x, y]; freeform: [x1, y1, x2, y2, …]. */
  coords: number[];
  /** Text of a text annotation, or the caption of a shape. */
  label?: string;
  labelColor?: string;
  /** Outline colour (shapes) or text colour. */
  color?: string;
  /** Fill colour of shapes. */
  fill?: string;
  font?: string;
  /** Outline width in px. */
  width?: number;
  /** Corner radius of rectangles. */
  radius?: number;
  extra?: Record<string, unknown>;
}

export interface CanvasDoc {
  id: string;
  name: string;
}

export interface TopologyDoc {
  version: typeof DOC_VERSION;
  /** Optional title (file name is used when absent). */
  name?: string;
  nodes: NodeDoc[];
  links: LinkDoc[];
  annotations: AnnotationDoc[];
  canvases: CanvasDoc[];
  /** A teaching lab: instructions, checks, locks (lab.ts). Absent in a plain topology. */
  lab?: LabDoc;
  /** A recorded run's inputs for exact replay (scenario.ts). */
  scenario?: ScenarioDoc;
  /** Document-level fields from another format kept for round trip (IMUNES `options`). */
  extra?: Record<string, unknown>;
}

export function emptyDocument(): TopologyDoc {
  return { version: DOC_VERSION, nodes: [], links: [], annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };
}

export function isEmulatedKind(kind: string): kind is EmulatedKind {
  return (EMULATED_KINDS as readonly string[]).includes(kind);
}

/** Whether a node of this kind forwards IPv4 unless the document says otherwise. */
export function defaultForwarding(kind: NodeKind): boolean {
  return kind === 'router';
}

/** Link parameters for the b→a direction. */
export function paramsBA(link: LinkDoc): LinkParams {
  return link.paramsBA ?? link.params;
}
