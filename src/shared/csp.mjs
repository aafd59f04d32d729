// The app's Content-Security-Policy, in one place: Electron main sends it as a header and
// the renderer build writes it as a meta tag. Plain JS so Vite's config can import it.
// Inline styles are needed by Cytoscape and xterm; workers may come from blob: URLs.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');
