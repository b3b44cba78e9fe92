/**
 * The application menu. Deliberately small: the desk UI has its own navigation. Reload and the
 * developer tools exist only in unpackaged (development) runs, so a receptionist cannot open a
 * console that holds the launch token. The Edit menu is there because on macOS copy and paste
 * shortcuts only work in text fields when a menu carries those roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellText } from './shell-text';

export interface MenuOptions {
  text: ShellText;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  appName: string;
  onAbout: () => void;
}

export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const { text } = opts;
  const mac = opts.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: text.menuAbout, click: () => opts.onAbout() };
  const quit: MenuItemConstructorOptions = { role: 'quit', label: text.menuQuit };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: opts.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide', label: text.menuHide },
        { role: 'hideOthers', label: text.menuHideOthers },
        { role: 'unhide', label: text.menuShowAll },
        { type: 'separator' },
        quit,
      ],
    });
  }
  template.push({
    label: text.menuFile,
    submenu: mac ? [{ role: 'close', label: text.menuClose }] : [quit],
  });
  template.push({
    label: text.menuEdit,
    submenu: [
      { role: 'undo', label: text.menuUndo },
      { role: 'redo', label: text.menuRedo },
      { type: 'separator' },
      { role: 'cut', label: text.menuCut },
      { role: 'copy', label: text.menuCopy },
      { role: 'paste', label: text.menuPaste },
      { role: 'selectAll', label: text.menuSelectAll },
    ],
  });
  if (!opts.isPackaged) {
    template.push({
      label: text.menuView,
      submenu: [
        { role: 'reload', label: text.menuReload },
        { role: 'toggleDevTools', label: text.menuToggleDevTools },
      ],
    });
  }
  template.push({ label: text.menuHelp, role: 'help', submenu: [about] });
  return template;
}
