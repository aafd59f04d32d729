// The `lab` section of a topology document (issue 13): instructions in Markdown, checks
// with typed predicates and points, locks, hidden fields, hints, and a submission's
// metadata. Plain JSON values only; shape in lab-schema.ts, meaning in lab-check.ts, the
// grader in src/emulator/lab. A submission's stored results are never trusted.

/** Bounds of a lab section (checked by lab-schema.ts and lab-check.ts). */
export const LAB_LIMITS = {
  /** Markdown text including embedded images (data: URIs). */
  MAX_INSTRUCTIONS_CHARS: 4 * 1024 * 1024,
  /** One embedded image as a data: URI. */
  MAX_IMAGE_CHARS: 1024 * 1024,
  MAX_CHECKS: 200,
  MAX_SETUP_COMMANDS: 100,
  MAX_HINTS: 400,
  MAX_HIDDEN: 2000,
  MAX_LOCKED_NAMES: 2000,
  /** A hint's or a title's text. */
  MAX_TEXT_CHARS: 4096,
  /** A regular expression or a display filter. */
  MAX_PATTERN_CHARS: 1024,
  /** A shell command run by a check. */
  MAX_COMMAND_CHARS: 1024,
  MAX_POINTS: 1000,
  MAX_PING_COUNT: 10,
  /** Virtual seconds a lab may let the network run before its checks (routing to converge). */
  MAX_SETTLE_S: 600,
  /** Shell commands a student ran (a submission's work record). */
  MAX_WORK_COMMANDS: 1000,
  /** Nodes with a kept shell transcript, and the characters kept of each (its tail). */
  MAX_TRANSCRIPTS: 200,
  MAX_TRANSCRIPT_CHARS: 64 * 1024,
} as const;

/** Runs `ping -c count TARGET` in `from`'s shell; `to` is a node name or an IPv4 address. */
export interface PingPredicate {
  type: 'ping';
  from: string;
  to: string;
  expect: 'reachable' | 'unreachable';
  /** Echo requests to send (default 3); reachable means at least one reply. */
  count?: number;
}

/** The node's routing table has a route to exactly `dest` (CIDR), through `gateway` if given. */
export interface RoutePredicate {
  type: 'route';
  node: string;
  dest: string;
  gateway?: string;
}

/** An interface of the node (or the named one) has an IPv4 address inside `subnet` (CIDR). */
export interface AddressPredicate {
  type: 'address';
  node: string;
  iface?: string;
  subnet: string;
}

/** The output of `command` in the node's shell matches (or does not match) `pattern`. */
export interface CommandPredicate {
  type: 'command';
  node: string;
  command: string;
  /** JavaScript regular expression, multiline. */
  pattern: string;
  expect?: 'match' | 'no-match';
}

/** A frame seen at `at` (`node:iface`) since the network started matches the display filter. */
export interface PacketPredicate {
  type: 'packet';
  at: string;
  filter: string;
  expect?: 'seen' | 'not-seen';
}

/** A ping from `from` to `to` crosses every node in `through` and none in `avoid`. */
export interface PathPredicate {
  type: 'path';
  from: string;
  to: string;
  through: string[];
  avoid: string[];
}

export type CheckPredicate = PingPredicate | RoutePredicate | AddressPredicate | CommandPredicate | PacketPredicate | PathPredicate;

export interface LabCheck {
  /** Stable id: the gradebook column and what hints refer to. */
  id: string;
  /** What the student reads in the check list. */
  title: string;
  points: number;
  predicate: CheckPredicate;
}

/** A command run in a node's shell after start, before any check is evaluated. */
export interface LabCommand {
  node: string;
  command: string;
}

/** What students may not change, compared with the lab's starting network. */
export interface LabLocks {
  /** Node set and each node's kind (no node added, removed or changed kind). */
  kinds?: boolean;
  /** The links: which interfaces are wired together. */
  links?: boolean;
  /** Node positions on the canvas. */
  positions?: boolean;
  /** Link parameters (bandwidth, delay, loss …). */
  linkParams?: boolean;
  /** Named nodes whose whole configuration (interfaces, addresses, routes) is fixed. */
  configs?: string[];
}

/** A field the student does not see in the student version (e.g. an address to configure). */
export interface HiddenField {
  node: string;
  /** Absent: the field on every interface (for ipv4) or on the node (for routes4). */
  iface?: string;
  field: 'ipv4' | 'routes4';
}

export interface LabHint {
  /** The check it helps with. */
  check: string;
  /** Shown once the student's check failed this many times. */
  afterFailures: number;
  text: string;
}

/**
 * What a student did in shells (kept in the document, so autosave and Submit carry it):
 * the commands, replayed by the grader after the lab's setup (they configure the network
 * as typing them did), and the transcripts, kept for the teacher to read and never graded.
 */
export interface LabWork {
  commands: LabCommand[];
  /** Transcript tail by node name. */
  transcripts: Record<string, string>;
  /** "Check my work" failures by check id (which hints are released); never graded. */
  failures?: Record<string, number>;
}

export interface LabDoc {
  title: string;
  /** Markdown; images only as data: URIs (bounded), so the file stays one file. */
  instructions: string;
  checks: LabCheck[];
  setup?: LabCommand[];
  /**
   * Virtual seconds the network runs after the setup and the student's commands, before
   * the checks (a routing protocol converging); default 0.
   */
  settleS?: number;
  locks?: LabLocks;
  hidden?: HiddenField[];
  hints?: LabHint[];
  /** In a submission: who submitted it (the gradebook's `student`). */
  student?: string;
  /**
   * In a submission: what the student's own run showed, for their record. Kept and saved,
   * never read by the grader (a tampered file cannot fake a pass).
   */
  results?: Record<string, unknown>;
  /** The student's shell work (commands and transcripts). */
  work?: LabWork;
}
