// Links that leave the app: only https to a short allowlist of documentation sites, and only
// after the user agreed in a native dialog that shows the full address. Everything else is
// refused. Must not open anything itself without `confirm` answering true.

/** Hosts a link may open (documentation the app and its labs point to). */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'imunes.net',
  'www.rfc-editor.org',
  'datatracker.ietf.org',
  'man.freebsd.org',
  'docs.freebsd.org',
  'www.wireshark.org',
];

const URL_MAX = 2048;

/** The URL to open, normalised, or null when it may not leave the app. */
export function allowedExternalUrl(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): string | null {
  if (typeof raw !== 'string' || raw.length > URL_MAX) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  // No credentials, no other port, no other scheme: the address shown is the address opened.
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  return hosts.includes(u.hostname) ? u.href : null;
}

export interface ExternalDeps {
  /** Native yes/no question; true to open. */
  confirm(url: string): Promise<boolean>;
  open(url: string): Promise<void>;
  log?(line: string): void;
}

/** Opens `raw` in the user's browser if it is allowed and the user agrees; returns whether it did. */
export async function openExternalLink(raw: string, deps: ExternalDeps): Promise<boolean> {
  const url = allowedExternalUrl(raw);
  if (!url) {
    deps.log?.(`external link refused: ${JSON.stringify(String(raw).slice(0, 200))}`);
    return false;
  }
  if (!(await deps.confirm(url))) return false;
  await deps.open(url);
  return true;
}
