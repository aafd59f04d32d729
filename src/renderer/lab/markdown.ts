// Lab instructions as HTML: Markdown by `marked`, sanitized by DOMPurify, then checked once
// more against an allow-list of Markdown's own elements and attributes (defence in depth:
// no script, style, handler, form or frame survives even where DOMPurify cannot walk the
// DOM). Images only as embedded data: URIs (what the lab checker allows and the CSP's
// img-src permits); links open outside the app.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

const URI = /^(?:data:image\/(?:png|jpeg|gif|webp);base64,|https?:|mailto:|#)/i;
const IMAGE_URI = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/;

const ALLOWED = new Set('a b blockquote br code del div em h1 h2 h3 h4 h5 h6 hr i img li ol p pre s span strong sub sup table tbody td tfoot th thead tr ul'.split(' '));
const ATTRS = new Set(['href', 'src', 'alt', 'title', 'align', 'start', 'colspan', 'rowspan', 'target', 'rel', 'id']);
/** Dropped with everything inside them; other unknown elements keep their text. */
const DROP = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'textarea', 'select', 'noscript', 'link', 'meta', 'base']);

/** Keeps only ALLOWED elements and ATTRS attributes with safe URLs (in place). */
function allowList(root: ParentNode): void {
  for (const el of [...root.querySelectorAll('*')]) {
    const tag = el.tagName.toLowerCase();
    if (!ALLOWED.has(tag)) {
      if (DROP.has(tag)) el.remove();
      else el.replaceWith(...el.childNodes);
      continue;
    }
    for (const a of [...el.attributes]) {
      const name = a.name.toLowerCase();
      const bad = !ATTRS.has(name) || (name === 'href' && !URI.test(a.value)) || (name === 'src' && !IMAGE_URI.test(a.value));
      if (bad) el.removeAttribute(a.name);
    }
    if (tag === 'a' && !el.getAttribute('href')?.startsWith('#')) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true });
  const clean = DOMPurify.sanitize(`<div>${html}</div>`, {
    ALLOWED_URI_REGEXP: URI,
    FORBID_TAGS: [...DROP],
    FORBID_ATTR: ['style'],
  });
  // An inert template: parsing here runs no script and loads no image.
  const t = document.createElement('template');
  t.innerHTML = clean;
  allowList(t.content);
  return t.innerHTML;
}
