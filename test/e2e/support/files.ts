// File helpers for e2e tests: open a file through the toolbar's file picker, save through
// a download, and wait for the thing that proves the file is loaded (the window title
// naming it), never for a condition an earlier document could already satisfy.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TopologyDoc } from '../../../src/emulator/topology/document';
import { getDoc } from './canvas';

/** The window title of a clean (saved) document named `name`. */
export const titleOf = (name: string) => `${name} — VirtNet`;

/** Picks `path` in the Open dialog. Returns once the file is handed to the page, not loaded. */
export async function pickFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('tb-open').click();
  await (await chooser).setFiles(path);
}

/**
 * Opens `path` and waits until the window title names it; resolves with the loaded document.
 * The page must not already show a file of the same name (use a fresh page).
 */
export async function openFile(page: Page, path: string): Promise<TopologyDoc> {
  await pickFile(page, path);
  await expect.poll(() => page.title()).toBe(titleOf(basename(path)));
  return getDoc(page);
}

/** Clicks a toolbar button that downloads a file; saves it in `dir`; returns its name and text. */
export async function downloadFrom(page: Page, testId: string, dir: string): Promise<{ name: string; path: string; text: string }> {
  const download = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const d = await download;
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path, text: await readFile(path, 'utf8') };
}
