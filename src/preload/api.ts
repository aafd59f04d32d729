// The one IPC contract between renderer and main (STYLE: one contract file): every invoke
// channel with its argument schema (valibot, checked in main before acting) and result
// type, the one-way channels, and the window API the preload exposes. No Electron imports.
import * as v from 'valibot';
import type { ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import { RECOVERY_ID, RECOVERY_SNAPSHOT, type RecoverySnapshot } from '../shared/recovery';

/** An opaque file handle main issued (src/main/file-capabilities.ts); never a path. */
const handle = v.pipe(v.string(), v.regex(/^file-[0-9a-f]{32}$/, 'not a file handle main issued'));
const fileText = v.pipe(v.string(), v.maxLength(64 * 1024 * 1024));
const fileName = v.pipe(v.string(), v.minLength(1), v.maxLength(255));

/** Argument tuples of each invoke channel, validated in main. */
export const INVOKE_ARGS = {
  /** Native open dialog, then read. */
  'file/open': v.tuple([]),
  /** Read a file the user picked before (a handle from `file/recent`). */
  'file/read': v.tuple([handle]),
  /** Atomic write to a file the user picked (a handle from open, save dialog or recent). */
  'file/save': v.tuple([handle, fileText]),
  /**
   * Native save dialog (suggested file name): where to save, nothing written. The renderer
   * encodes for the chosen name (.vnet or .imn) and writes once with `file/save`.
   */
  'file/choose-save-path': v.tuple([fileName]),
  /** Export: save dialog then write text (SVG) or bytes (PNG). */
  'file/export': v.tuple([fileName, v.union([fileText, v.instance(Uint8Array)])]),
  'file/recent': v.tuple([]),
  'window/set-title': v.tuple([v.pipe(v.string(), v.maxLength(512)), v.boolean()]),
  /** Native "discard unsaved changes?" box; resolves true to go on. */
  'window/confirm-discard': v.tuple([v.pipe(v.string(), v.maxLength(2000))]),
  /** Autosave: this window's recovery snapshot, written atomically to the user-data folder. */
  'recovery/save': v.tuple([RECOVERY_SNAPSHOT]),
  /**
   * Snapshots left by pages that crashed or closed, newest first, with fresh file handles.
   * A page asks once, when it starts: main then treats earlier pages' snapshots as left behind.
   */
  'recovery/list': v.tuple([]),
  /** Forget a snapshot (restored, discarded, or its document saved). */
  'recovery/clear': v.tuple([RECOVERY_ID]),
} as const;

export interface OpenedFile {
  /** Opaque handle for `file/save` / `file/read`; main keeps the path. */
  handle: string;
  name: string;
  text: string;
}

export interface SavedFile {
  handle: string;
  name: string;
}

export interface RecentFile {
  handle: string;
  name: string;
  /** Where it is, for display only (main never accepts it back). */
  location: string;
}

/** Result type of each invoke channel. */
export interface InvokeResults {
  'file/open': OpenedFile | null;
  'file/read': OpenedFile;
  'file/save': SavedFile;
  'file/choose-save-path': SavedFile | null;
  'file/export': string | null;
  'file/recent': RecentFile[];
  'window/set-title': null;
  'window/confirm-discard': boolean;
  'recovery/save': null;
  'recovery/list': RecoverySnapshot[];
  'recovery/clear': null;
}

export type InvokeChannel = keyof typeof INVOKE_ARGS;
export type InvokeArgs<C extends InvokeChannel> = v.InferOutput<(typeof INVOKE_ARGS)[C]>;

/** Errors cross IPC as this value (never a thrown Error: Electron strips its fields). */
export type InvokeReply<C extends InvokeChannel> = { ok: true; result: InvokeResults[C] } | { ok: false; error: string };

/** Menu items main sends to the renderer, which owns the document. */
export const MENU_COMMANDS = [
  'file/new', 'file/open', 'file/save', 'file/save-as', 'file/export-png', 'file/export-svg',
  'edit/undo', 'edit/redo', 'edit/copy', 'edit/paste', 'edit/duplicate', 'edit/delete', 'edit/select-all',
  'view/fit', 'view/zoom-in', 'view/zoom-out',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** One-way channels. */
export const CHANNELS = {
  /** main → renderer: a menu item was chosen (MenuCommand). */
  menu: 'menu/command',
  /** main → renderer: main asks whether the window may close (renderer answers `window/close-ok`). */
  closeRequest: 'window/close-request',
  /** renderer → main: closing is fine (no unsaved changes, or the user agreed). */
  closeOk: 'window/close-ok',
  /**
   * renderer → main: an engine request envelope for the worker thread; main checks every
   * request type's arguments (src/main/engine-requests.ts) before relaying.
   */
  enginePost: 'engine/post',
  /** main → renderer: an engine reply/events envelope. */
  engineMessage: 'engine/message',
} as const;

/** What the preload puts on `window.virtnet` (Electron only; absent in browser mode). */
export interface VirtnetDesktopApi {
  readonly platform: string;
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResults[C]>;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  onCloseRequest(listener: () => void): () => void;
  closeOk(): void;
  engine: {
    post(message: RequestMessage): void;
    onMessage(listener: (message: ReplyMessage) => void): () => void;
  };
}
