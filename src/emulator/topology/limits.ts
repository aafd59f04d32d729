// The documented bounds of a topology document, shared by the readers (vnet-schema.ts),
// the edit operations (so the editor cannot make what the readers refuse) and the CLI.
// Constants only.

/**
 * Documented bounds (also in `virtnet --help`). A file over MAX_FILE_BYTES is refused
 * before it is parsed; within a file, names and other short fields are at most
 * MAX_NAME_CHARS, labels MAX_LABEL_CHARS, and each text kept for round trip under `extra`
 * (IMUNES custom configs, routing-daemon configs) MAX_CONFIG_CHARS.
 */
export const LIMITS = {
  MAX_FILE_BYTES: 64 * 1024 * 1024,
  MAX_NAME_CHARS: 256,
  MAX_LABEL_CHARS: 64 * 1024,
  MAX_CONFIG_CHARS: 1024 * 1024,
  MAX_NODES: 20_000,
  MAX_LINKS: 40_000,
  MAX_INTERFACES_PER_NODE: 1024,
  /** Interfaces in the whole document: what the engine builds, so what its memory scales with. */
  MAX_INTERFACES: 100_000,
  MAX_ADDRESSES: 256,
  MAX_ROUTES: 4096,
  MAX_ANNOTATIONS: 10_000,
  MAX_COORDS: 10_000,
  MAX_CANVASES: 1024,
} as const;
