/**
 * The few strings the Electron shell shows itself (menus, native dialogs), complete in zh-CN and
 * en. Everything else the user reads is rendered by the UI from core's i18n resources. The shell
 * may not import core/, so these live here; a test keeps both languages in step.
 */
export const SHELL_LANGUAGES = ['zh-CN', 'en'] as const;
export type ShellLanguage = (typeof SHELL_LANGUAGES)[number];

export interface ShellText {
  menuFile: string;
  menuQuit: string;
  menuClose: string;
  menuEdit: string;
  menuUndo: string;
  menuRedo: string;
  menuCut: string;
  menuCopy: string;
  menuPaste: string;
  menuSelectAll: string;
  menuView: string;
  menuReload: string;
  menuToggleDevTools: string;
  menuHelp: string;
  menuAbout: string;
  menuHide: string;
  menuHideOthers: string;
  menuShowAll: string;
  aboutDetail: string;
  startFailedTitle: string;
  badHostUrl: (url: string) => string;
  hostStoppedTitle: string;
  hostStoppedMessage: string;
  hostStoppedDetail: (code: number) => string;
  restart: string;
  quit: string;
  ok: string;
}

export const shellText: Record<ShellLanguage, ShellText> = {
  en: {
    menuFile: 'File',
    menuQuit: 'Quit Foyer',
    menuClose: 'Close Window',
    menuEdit: 'Edit',
    menuUndo: 'Undo',
    menuRedo: 'Redo',
    menuCut: 'Cut',
    menuCopy: 'Copy',
    menuPaste: 'Paste',
    menuSelectAll: 'Select All',
    menuView: 'View',
    menuReload: 'Reload',
    menuToggleDevTools: 'Toggle Developer Tools',
    menuHelp: 'Help',
    menuAbout: 'About Foyer',
    menuHide: 'Hide Foyer',
    menuHideOthers: 'Hide Others',
    menuShowAll: 'Show All',
    aboutDetail: 'Offline-first front desk for clinics and gyms.\nLicense: GPL-3.0-or-later',
    startFailedTitle: 'Foyer could not start',
    badHostUrl: (url) => `The desk service reported an address that is not on this computer: ${url}`,
    hostStoppedTitle: 'Foyer',
    hostStoppedMessage: 'The desk service stopped unexpectedly.',
    hostStoppedDetail: (code) =>
      `Exit code ${code}. Work saved before this moment is safe. Restart the desk service to continue.`,
    restart: 'Restart',
    quit: 'Quit',
    ok: 'OK',
  },
  'zh-CN': {
    menuFile: '文件',
    menuQuit: '退出 Foyer',
    menuClose: '关闭窗口',
    menuEdit: '编辑',
    menuUndo: '撤销',
    menuRedo: '重做',
    menuCut: '剪切',
    menuCopy: '复制',
    menuPaste: '粘贴',
    menuSelectAll: '全选',
    menuView: '视图',
    menuReload: '重新加载',
    menuToggleDevTools: '开发者工具',
    menuHelp: '帮助',
    menuAbout: '关于 Foyer',
    menuHide: '隐藏 Foyer',
    menuHideOthers: '隐藏其他',
    menuShowAll: '全部显示',
    aboutDetail: '面向诊所和健身房的离线优先前台系统。\n许可证：GPL-3.0-or-later',
    startFailedTitle: 'Foyer 无法启动',
    badHostUrl: (url) => `前台服务报告的地址不在本机：${url}`,
    hostStoppedTitle: 'Foyer',
    hostStoppedMessage: '前台服务意外停止。',
    hostStoppedDetail: (code) => `退出码 ${code}。此前保存的内容不受影响。请重新启动前台服务以继续。`,
    restart: '重新启动',
    quit: '退出',
    ok: '确定',
  },
};

/** Chinese in any variant gets zh-CN; everything else gets English. */
export function shellLanguage(locale: string): ShellLanguage {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
