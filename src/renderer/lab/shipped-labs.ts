// The labs shipped in assets/labs, bundled into the renderer as text so each opens in one
// click in Electron and browser mode alike. Only the starting networks: the answers
// (NAME.answer.vnet) stay out of the app, for the teacher's grading.
const files = import.meta.glob<string>(['../../../assets/labs/*.vnet', '!../../../assets/labs/*.answer.vnet'], { query: '?raw', import: 'default', eager: true });

export interface ShippedLab {
  /** File name, e.g. `static-routing.vnet`. */
  name: string;
  title: string;
  text: string;
}

function titleOf(text: string, name: string): string {
  try {
    const t = (JSON.parse(text) as { lab?: { title?: unknown } }).lab?.title;
    if (typeof t === 'string' && t.trim()) return t.trim();
  } catch {
    // a broken bundled file still opens (and reports where it is broken)
  }
  return name;
}

export const SHIPPED_LABS: readonly ShippedLab[] = Object.entries(files)
  .map(([path, text]) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return { name, title: titleOf(text, name), text };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
