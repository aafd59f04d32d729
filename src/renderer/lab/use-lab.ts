// The app's one lab binding (like run mode's runStore): the lab store, and the session that
// LabSlot binds to the editor's document store on mount. Components read the store through
// `useLab`; the help panel reaches the session to switch modes.
import { useStore } from 'zustand';
import { createLabStore, type LabState } from './lab-store';
import type { LabSession } from './lab-session';

export const labStore = createLabStore();

let session: LabSession | null = null;

export function setLabSession(s: LabSession | null): void {
  session = s;
}

export function labSession(): LabSession | null {
  return session;
}

export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(labStore, selector);
}
