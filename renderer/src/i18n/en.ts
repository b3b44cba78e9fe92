/**
 * English texts of the UI. Keys are flat (`customers.search.label`), like the error keys from
 * core/i18n/messages.ts that are merged in beside them. Plural forms use i18next's suffixes
 * (`_one`, `_other`); zh-CN.ts has the forms Chinese needs. i18n.test.ts keeps both in step.
 */
export const en = {
  'app.name': 'Foyer',
  'app.documentTitle': '{{page}} · Foyer',
  'app.loading': 'Loading…',

  'nav.label': 'Sections',
  'nav.frontDesk': 'Front desk',
  'nav.frontDesk.hint': 'Today and check-in',
  'nav.calendar': 'Calendar',
  'nav.queue': 'Queue',
  'nav.customers': 'Customers',
  'nav.memberships': 'Memberships',
  'nav.devices': 'Devices',
  'nav.reports': 'Reports',
  'nav.settings': 'Settings',
  'nav.soon': 'Soon',
  'nav.soonLabel': '{{label}} (coming in a later release)',
  'nav.comingLater': 'Coming in a later release',

  'header.site': 'Site',
  'header.siteKind.clinic': 'Clinic',
  'header.siteKind.gym': 'Gym',
  'header.noOrganization': 'No organization set up on this desk',

  'outbox.pending_one': '{{count}} change waiting to sync',
  'outbox.pending_other': '{{count}} changes waiting to sync',
  'outbox.synced': 'All changes synced',
  'outbox.oldest': 'Waiting since {{time}}.',
  'outbox.explain': 'Changes are saved on this desk at once and sent to the cloud when it can be reached.',

  'connection.reconnecting': 'Reconnecting…',
  'connection.reconnectingHint': 'The connection to the desk service was lost. Lists may be out of date until it is back; changes you make are still saved.',

  'language.label': 'Language',
  'language.en': 'English',
  'language.zh-CN': '简体中文',

  'common.empty': '—',
  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.todayAt': 'Today {{time}}',
  'common.save': 'Save',

  'customers.search.label': 'Search customers',
  'customers.search.placeholder': 'Name, phone digits or pinyin initials (e.g. zs)',
  'customers.search.shortcut': 'Press / to search, ↓ to move into the list, Enter to open a customer',
  'customers.register': 'Register customer',
  'customers.register.shortcut': 'Alt+N',
  'customers.total_one': '{{count}} customer in total',
  'customers.total_other': '{{count}} customers in total',
  'customers.recent': 'Showing the {{shown}} most recently updated. Search to find anyone else.',
  'customers.matches_one': '{{count}} match',
  'customers.matches_other': '{{count}} matches',
  'customers.matchesLimited': 'Showing the first {{count}} matches. Type more to narrow the search.',
  'customers.noMatches': 'No customer matches “{{query}}”.',
  'customers.empty': 'No customers yet.',
  'customers.loadFailed': 'The customer list could not be loaded.',
  'customers.table.label': 'Customers',
  'customers.column.name': 'Name',
  'customers.column.phone': 'Phone',
  'customers.column.gender': 'Gender',
  'customers.column.birthDate': 'Birth date',
  'customers.column.tags': 'Tags',
  'customers.column.updated': 'Updated',

  'customer.field.name': 'Name',
  'customer.field.phone': 'Phone',
  'customer.field.nationalId': 'ID number',
  'customer.field.birthDate': 'Birth date',
  'customer.field.gender': 'Gender',
  'customer.field.tags': 'Tags',
  'customer.field.notes': 'Notes',
  'customer.field.createdAt': 'Registered',
  'customer.field.updatedAt': 'Last updated',
  'customer.field.id': 'Customer ID',

  'customer.gender.female': 'Female',
  'customer.gender.male': 'Male',
  'customer.gender.other': 'Other',
  'customer.gender.unknown': 'Unknown',

  'customer.age': 'age {{age}}',

  'customer.form.createTitle': 'Register customer',
  'customer.form.editTitle': 'Edit {{name}}',
  'customer.form.phonePlaceholder': '138 1234 5678',
  'customer.form.phoneHelp': '11-digit mainland mobile, or + and the country code',
  'customer.form.nationalIdPlaceholder': '18 characters, optional',
  'customer.form.nationalIdHelp': 'Fills in the birth date and gender',
  'customer.form.birthDatePlaceholder': 'YYYY-MM-DD',
  'customer.form.tagsPlaceholder': 'Type a tag and press Enter',
  'customer.form.saveShortcut': 'Ctrl+Enter saves',
  'customer.form.unchanged': 'Nothing was changed.',

  'customer.saved.created': '{{name}} is registered.',
  'customer.saved.updated': 'Changes to {{name}} are saved.',

  'customer.card.label': 'Customer card',
  'customer.card.edit': 'Edit',

  'errors.hostUnreachable': 'The desk service cannot be reached. Check that Foyer is running, then try again.',
  'errors.notConnected.title': 'Not connected',

  'notFound.title': 'This page does not exist',
  'notFound.back': 'Go to customers',
} as const satisfies Record<string, string>;

/** A key of the UI's own texts (error keys from core are added in resources.ts). */
export type UiKey = keyof typeof en;
