// Typed engine errors: a stable machine code plus a message for the user (STYLE: a bad
// request is a typed error, never a crash). No behaviour here.

export const ERROR_CODE = {
  BAD_REQUEST: 'bad-request',
  BAD_TOPOLOGY: 'bad-topology',
  NOT_RUNNING: 'not-running',
  UNKNOWN_NODE: 'unknown-node',
  UNKNOWN_LINK: 'unknown-link',
  UNKNOWN_IFACE: 'unknown-iface',
  UNKNOWN_SESSION: 'unknown-session',
  UNKNOWN_CAPTURE: 'unknown-capture',
  UNKNOWN_CONNECTION: 'unknown-connection',
  NOT_SUPPORTED: 'not-supported',
  /** Virtual time stopped advancing (a zero-delay loop) or the event queue hit its bound. */
  STALLED: 'stalled',
  INTERNAL: 'internal',
} as const;

/** A request the engine refuses, with a stable code. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Seed of the run, for internal errors. */
    readonly seed?: number,
  ) {
    super(message);
  }
}
