// Which recovery snapshots belong to windows that are still open: each window holds a Web
// Lock named after its snapshot id for as long as it lives (a crash or close releases it).
// Without Web Locks every other snapshot counts as left behind.

const PREFIX = 'virtnet-recovery-';

type Locks = { request(name: string, cb: () => Promise<void>): Promise<void>; query(): Promise<{ held?: { name?: string }[] }> };

function locks(): Locks | null {
  return ((globalThis as { navigator?: { locks?: Locks } }).navigator?.locks as Locks | undefined) ?? null;
}

/** Holds this window's lock until the page goes away. */
export function holdLiveLock(id: string): void {
  void locks()?.request(PREFIX + id, () => new Promise<void>(() => undefined)).catch(() => undefined);
}

/** Ids of snapshots whose window is still open. */
export async function liveIds(): Promise<Set<string>> {
  const l = locks();
  if (!l) return new Set();
  try {
    const q = await l.query();
    return new Set((q.held ?? []).map((h) => h.name ?? '').filter((n) => n.startsWith(PREFIX)).map((n) => n.slice(PREFIX.length)));
  } catch {
    return new Set();
  }
}

export function newRecoveryId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `w${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
