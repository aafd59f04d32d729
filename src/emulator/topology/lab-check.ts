// Semantic checks of a document's `lab` section (what lab-schema.ts cannot say): unique
// check ids, node names and `node:iface` points that exist, CIDRs, regular expressions and
// display filters that compile, hints that name a check, images embedded as bounded
// data: URIs. Reports problems with a JSON path; never throws, never repairs.

import { compileFilter } from '../filter/display-filter';
import { quoteText } from './diagnostics';
import type { TopologyDoc } from './document';
import type { DocIssue, DocPath } from './doc-issue';
import { LAB_LIMITS, type CheckPredicate, type LabDoc } from './lab';
import { validateIpv4, validateIpv4Cidr } from './validate-fields';

/** A lab problem is a document issue (doc-issue.ts is a leaf, so check.ts imports this without a cycle). */
export type LabIssue = DocIssue;

const IMAGE_MD = /!\[[^\]\n]*\]\(\s*<?([^)\s>]*)/g;
const IMAGE_HTML = /<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]*)/gi;
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/;

/** Why the instructions' images are not allowed, one message per bad image. */
export function instructionImageProblems(md: string): string[] {
  const out: string[] = [];
  for (const re of [IMAGE_MD, IMAGE_HTML]) {
    for (const m of md.matchAll(re)) {
      const url = m[1] ?? '';
      if (url.length > LAB_LIMITS.MAX_IMAGE_CHARS) out.push(`an embedded image is ${url.length} characters; at most ${LAB_LIMITS.MAX_IMAGE_CHARS} are allowed`);
      else if (!DATA_IMAGE.test(url)) out.push(`image ${quoteText(url.slice(0, 60))} must be embedded as a data:image/png, jpeg, gif or webp base64 URI (a lab is one file and never fetches from the network)`);
    }
  }
  return out;
}

function predicateProblems(p: CheckPredicate, node: (name: string) => boolean, iface: (at: string) => string | null): [string, string][] {
  const out: [string, string][] = [];
  const needNode = (field: string, name: string) => {
    if (!node(name)) out.push([field, `no node named ${quoteText(name)}`]);
  };
  const needTarget = (field: string, to: string) => {
    if (!node(to) && validateIpv4(to)) out.push([field, `${quoteText(to)} is neither a node name nor an IPv4 address`]);
  };
  switch (p.type) {
    case 'ping':
      needNode('from', p.from);
      needTarget('to', p.to);
      break;
    case 'route': {
      needNode('node', p.node);
      const why = validateIpv4Cidr(p.dest);
      if (why) out.push(['dest', why]);
      if (p.gateway !== undefined && validateIpv4(p.gateway)) out.push(['gateway', validateIpv4(p.gateway)!]);
      break;
    }
    case 'address': {
      needNode('node', p.node);
      const why = validateIpv4Cidr(p.subnet);
      if (why) out.push(['subnet', why]);
      break;
    }
    case 'command':
      needNode('node', p.node);
      try {
        new RegExp(p.pattern, 'm');
      } catch (err) {
        out.push(['pattern', `not a valid regular expression: ${(err as Error).message}`]);
      }
      break;
    case 'packet': {
      const why = iface(p.at);
      if (why) out.push(['at', why]);
      const f = compileFilter(p.filter);
      if (!f.ok) out.push(['filter', `not a valid display filter: ${f.error}`]);
      break;
    }
    case 'path':
      needNode('from', p.from);
      needTarget('to', p.to);
      p.through.forEach((n, k) => needNode(`through.${k}`, n));
      p.avoid.forEach((n, k) => needNode(`avoid.${k}`, n));
      break;
    default:
      p satisfies never;
  }
  return out;
}

/** Problems of `lab` against the nodes of `doc`, with JSON paths under `lab`. */
export function checkLab(lab: LabDoc, doc: TopologyDoc): LabIssue[] {
  const out: LabIssue[] = [];
  const err = (path: DocPath, message: string) => out.push({ path: ['lab', ...path], message, severity: 'error' });
  const byName = new Map(doc.nodes.map((n) => [n.name, n] as const));
  const node = (name: string) => byName.has(name);
  const iface = (at: string): string | null => {
    const k = at.indexOf(':');
    if (k <= 0) return `${quoteText(at)} must be NODE:IFACE`;
    const n = byName.get(at.slice(0, k));
    if (!n) return `no node named ${quoteText(at.slice(0, k))}`;
    return n.interfaces.some((f) => f.name === at.slice(k + 1)) ? null : `node ${quoteText(n.name)} has no interface ${quoteText(at.slice(k + 1))}`;
  };
  for (const why of instructionImageProblems(lab.instructions)) err(['instructions'], `instructions: ${why}`);
  const ids = new Set<string>();
  lab.checks.forEach((c, i) => {
    if (ids.has(c.id)) err(['checks', i, 'id'], `duplicate check id ${quoteText(c.id)}`);
    ids.add(c.id);
    for (const [field, why] of predicateProblems(c.predicate, node, iface)) {
      err(['checks', i, 'predicate', ...field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))], `check ${quoteText(c.id)}: ${field}: ${why}`);
    }
  });
  lab.setup?.forEach((s, i) => {
    if (!node(s.node)) err(['setup', i, 'node'], `setup: no node named ${quoteText(s.node)}`);
  });
  lab.locks?.configs?.forEach((n, i) => {
    if (!node(n)) err(['locks', 'configs', i], `locks: no node named ${quoteText(n)}`);
  });
  lab.hidden?.forEach((h, i) => {
    const n = byName.get(h.node);
    if (!n) err(['hidden', i, 'node'], `hidden: no node named ${quoteText(h.node)}`);
    else if (h.iface !== undefined && !n.interfaces.some((f) => f.name === h.iface)) err(['hidden', i, 'iface'], `hidden: node ${quoteText(h.node)} has no interface ${quoteText(h.iface)}`);
  });
  lab.hints?.forEach((h, i) => {
    if (!ids.has(h.check)) err(['hints', i, 'check'], `hint: no check with id ${quoteText(h.check)}`);
  });
  return out;
}
