// Lets the app run under a CSP without 'unsafe-inline' styles. xterm (its DOM renderer and
// scrollbar) and Cytoscape (its container rule) write CSS into <style> elements they
// create, which a strict `style-src` blocks. CSSOM is not markup: text such a library assigns
// to a <style> element's `textContent` is put into a constructed stylesheet adopted by the
// document instead, and the element itself stays empty. Markup injected into the page still
// cannot style anything (only script reaches this setter). Installed once, before the UI.
// Adopted sheets cascade after the page's own, so the text is wrapped in a cascade layer:
// as when such a library put its <style> first in <head>, the app's CSS wins a tie.

/** Unlayered page CSS outranks every layer. */
const LAYER = 'virtnet-library-styles';

interface Bridged {
  sheet: CSSStyleSheet;
  text: string;
}

export function installCspStyleBridge(doc: Document = document): () => void {
  const proto = doc.defaultView?.HTMLStyleElement?.prototype;
  const Sheet = doc.defaultView?.CSSStyleSheet;
  if (!proto || !Sheet || !('adoptedStyleSheets' in doc) || Object.hasOwn(proto, 'textContent')) return () => undefined;
  const bridged = new WeakMap<HTMLStyleElement, Bridged>();
  const inherited = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent')!;

  const drop = (sheet: CSSStyleSheet) => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };

  Object.defineProperty(proto, 'textContent', {
    configurable: true,
    get(this: HTMLStyleElement) {
      return bridged.get(this)?.text ?? inherited.get!.call(this);
    },
    set(this: HTMLStyleElement, value: string | null) {
      const text = value ?? '';
      let b = bridged.get(this);
      if (!b) {
        b = { sheet: new Sheet(), text: '' };
        bridged.set(this, b);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, b.sheet];
      }
      b.text = text;
      b.sheet.replaceSync(`@layer ${LAYER} {\n${text}\n}`);
    },
  });

  // A library removes its <style> element (a terminal closed): its sheet goes too.
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.removedNodes) {
        if (!(node instanceof Element)) continue;
        const styles = node instanceof HTMLStyleElement ? [node] : [...node.querySelectorAll('style')];
        for (const el of styles) {
          const b = bridged.get(el);
          if (b && !el.isConnected) {
            drop(b.sheet);
            bridged.delete(el);
          }
        }
      }
    }
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true });

  return () => {
    observer.disconnect();
    delete (proto as { textContent?: unknown }).textContent;
  };
}
