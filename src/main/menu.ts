// The application menu: each item either sends a MenuCommand to the renderer (which owns
// the document and undo) or is an Electron role. Must not edit documents itself.
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { CHANNELS, type MenuCommand } from '../preload/api';

/** `dev`: developer tools are offered only when running from the dev server (dev-mode.ts). */
export function menuTemplate(send: (command: MenuCommand) => void, isMac: boolean, dev = false): MenuItemConstructorOptions[] {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => send(command) });
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New', 'file/new', 'CmdOrCtrl+N'),
        item('Open…', 'file/open', 'CmdOrCtrl+O'),
        item('Save', 'file/save', 'CmdOrCtrl+S'),
        item('Save As…', 'file/save-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Export PNG…', 'file/export-png'),
        item('Export SVG…', 'file/export-svg'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      // Accelerators are handled by the renderer's key bindings so they also work in
      // browser mode; the menu only shows them.
      label: 'Edit',
      submenu: [
        item('Undo', 'edit/undo'),
        item('Redo', 'edit/redo'),
        { type: 'separator' },
        item('Copy', 'edit/copy'),
        item('Paste', 'edit/paste'),
        item('Duplicate', 'edit/duplicate'),
        item('Delete', 'edit/delete'),
        item('Select All', 'edit/select-all'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Fit to Window', 'view/fit'),
        item('Zoom In', 'view/zoom-in'),
        item('Zoom Out', 'view/zoom-out'),
        { type: 'separator' },
        ...(dev ? [{ role: 'toggleDevTools' as const }] : []),
        { role: 'togglefullscreen' },
      ],
    },
  ];
}

export function installMenu(getWindow: () => BrowserWindow | null, dev = false): void {
  const send = (command: MenuCommand) => getWindow()?.webContents.send(CHANNELS.menu, command);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send, process.platform === 'darwin', dev)));
}
