/**
 * 简体中文 texts of the UI: the same keys as en.ts, except plural forms, of which Chinese has only
 * `_other`. The type below makes a missing or extra key a compile error.
 */
import type { UiKey } from './en';

type ZhKey = Exclude<UiKey, `${string}_one`>;

export const zhCN = {
  'app.name': 'Foyer',
  'app.documentTitle': '{{page}} · Foyer',
  'app.loading': '加载中…',

  'nav.label': '功能',
  'nav.frontDesk': '前台',
  'nav.frontDesk.hint': '今日预约与签到',
  'nav.calendar': '日程',
  'nav.queue': '叫号',
  'nav.customers': '客户',
  'nav.memberships': '会员卡',
  'nav.devices': '设备',
  'nav.reports': '报表',
  'nav.settings': '设置',
  'nav.soon': '即将推出',
  'nav.soonLabel': '{{label}}（即将推出）',
  'nav.comingLater': '即将推出，将在后续版本中提供',

  'header.site': '门店',
  'header.siteKind.clinic': '诊所',
  'header.siteKind.gym': '健身房',
  'header.noOrganization': '本机尚未设置机构',

  'outbox.pending_other': '{{count}} 项更改待同步',
  'outbox.synced': '所有更改已同步',
  'outbox.oldest': '最早一项自 {{time}} 起等待。',
  'outbox.explain': '更改会立即保存在本机，能连接云端时自动上传。',

  'connection.reconnecting': '正在重新连接…',
  'connection.reconnectingHint': '与前台服务的连接已断开。恢复前列表可能不是最新的；您所做的更改仍会保存。',

  'language.label': '语言',
  'language.en': 'English',
  'language.zh-CN': '简体中文',

  'common.empty': '—',
  'common.retry': '重试',
  'common.cancel': '取消',
  'common.close': '关闭',
  'common.todayAt': '今天 {{time}}',
  'common.save': '保存',

  'customers.search.label': '搜索客户',
  'customers.search.placeholder': '姓名、手机号或拼音首字母（如 zs）',
  'customers.search.shortcut': '按 / 搜索，按 ↓ 进入列表，按回车打开客户',
  'customers.register': '登记新客户',
  'customers.register.shortcut': 'Alt+N',
  'customers.total_other': '共 {{count}} 位客户',
  'customers.recent': '显示最近更新的 {{shown}} 位客户，搜索可查找其他客户。',
  'customers.matches_other': '{{count}} 个结果',
  'customers.matchesLimited': '仅显示前 {{count}} 个结果，请继续输入以缩小范围。',
  'customers.noMatches': '没有与“{{query}}”匹配的客户。',
  'customers.empty': '还没有客户。',
  'customers.loadFailed': '无法加载客户列表。',
  'customers.table.label': '客户列表',
  'customers.column.name': '姓名',
  'customers.column.phone': '手机号',
  'customers.column.gender': '性别',
  'customers.column.birthDate': '出生日期',
  'customers.column.tags': '标签',
  'customers.column.updated': '更新时间',

  'customer.field.name': '姓名',
  'customer.field.phone': '手机号',
  'customer.field.nationalId': '身份证号',
  'customer.field.birthDate': '出生日期',
  'customer.field.gender': '性别',
  'customer.field.tags': '标签',
  'customer.field.notes': '备注',
  'customer.field.createdAt': '登记时间',
  'customer.field.updatedAt': '最近更新',
  'customer.field.id': '客户编号',

  'customer.gender.female': '女',
  'customer.gender.male': '男',
  'customer.gender.other': '其他',
  'customer.gender.unknown': '未知',

  'customer.age': '{{age}} 岁',

  'customer.form.createTitle': '登记新客户',
  'customer.form.editTitle': '编辑客户：{{name}}',
  'customer.form.phonePlaceholder': '138 1234 5678',
  'customer.form.phoneHelp': '大陆手机号 11 位；境外号码以 + 和国家区号开头',
  'customer.form.nationalIdPlaceholder': '18 位，选填',
  'customer.form.nationalIdHelp': '填写后自动带出出生日期和性别',
  'customer.form.birthDatePlaceholder': 'YYYY-MM-DD',
  'customer.form.tagsPlaceholder': '输入标签后按回车',
  'customer.form.saveShortcut': 'Ctrl+Enter 保存',
  'customer.form.unchanged': '没有任何修改。',

  'customer.saved.created': '已登记客户 {{name}}。',
  'customer.saved.updated': '已保存 {{name}} 的修改。',

  'customer.card.label': '客户资料',
  'customer.card.edit': '编辑',

  'errors.hostUnreachable': '无法连接前台服务。请确认 Foyer 正在运行，然后重试。',
  'errors.notConnected.title': '未连接',

  'notFound.title': '页面不存在',
  'notFound.back': '前往客户列表',
} as const satisfies Record<ZhKey, string>;
