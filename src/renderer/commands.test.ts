// Save As encodes once, for the name the user chose: .imn gets IMUNES JSON, .vnet VirtNet's.
import { describe, expect, it } from 'vitest';
import type { AppServices } from './app-context';
import { saveDocumentAs } from './commands';
import type { FileService } from './file/file-service';
import { createDocStore } from './store/doc-store';
import * as A from './store/editor-actions';
import { createUiStore } from './store/ui-store';

function services(chosen: string, written: { name: string; text: string }[]): AppServices {
  const files = {
    kind: 'browser',
    saveAs: async (_name: string, encode: (n: string) => string) => {
      written.push({ name: chosen, text: encode(chosen) });
      return { path: null, name: chosen };
    },
    recent: async () => [],
  } as unknown as FileService;
  const docStore = createDocStore();
  A.placeNode(docStore, 'pc', { x: 0, y: 0 });
  return { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files, cyRef: { current: null } };
}

describe('Save As', () => {
  it('writes IMUNES JSON once when the chosen name ends in .imn', async () => {
    const written: { name: string; text: string }[] = [];
    const s = services('lab.imn', written);
    await saveDocumentAs(s);
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!.text)).toHaveProperty('nodes.n0.type', 'pc');
    expect(s.docStore.getState().file).toMatchObject({ name: 'lab.imn', format: 'imn' });
  });

  it('writes VirtNet JSON for a .vnet name', async () => {
    const written: { name: string; text: string }[] = [];
    await saveDocumentAs(services('lab.vnet', written));
    expect(JSON.parse(written[0]!.text)).toHaveProperty('version');
  });
});
