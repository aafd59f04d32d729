// Runs before any other renderer module (main.tsx imports it first). Under LANG=C on Linux,
// Chromium reports navigator.language as `en-US@posix`, a tag Intl rejects; a library that
// formats numbers when it loads (uPlot) would then throw and the app would never start.
// Such a tag is replaced by its valid part, or en-US. Valid tags are left alone.

function validTag(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** The nearest valid BCP 47 tag for what the platform reported (`en-US@posix` → `en-US`). */
export function saneLanguage(tag: string): string {
  if (validTag(tag)) return tag;
  const trimmed = tag.replace(/[@.].*$/, '').replace(/_/g, '-');
  return trimmed !== '' && validTag(trimmed) ? trimmed : 'en-US';
}

if (typeof navigator !== 'undefined' && typeof navigator.language === 'string' && !validTag(navigator.language)) {
  const language = saneLanguage(navigator.language);
  const languages = (navigator.languages ?? []).map(saneLanguage);
  Object.defineProperty(navigator, 'language', { value: language, configurable: true });
  Object.defineProperty(navigator, 'languages', { value: Object.freeze(languages.length ? languages : [language]), configurable: true });
}
