// The app's Content-Security-Policy, in one place: Electron main sends it as a header and
// the renderer build writes it as a meta tag. Plain JS so Vite's config can import it.
// No inline script or style. Cytoscape and xterm write CSS into <style> elements; the
// renderer routes that text into constructed stylesheets (src/renderer/security/
// csp-styles.ts), so their elements stay empty, and the one hash allowed is the hash of the
// empty string: an empty <style> is harmless. Workers may come from blob: URLs.
/** sha256 of "" (base64): lets an empty <style> element exist, and nothing else. */
export const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  `style-src 'self' '${EMPTY_STYLE_HASH}'`,
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');
