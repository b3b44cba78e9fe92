/**
 * Messages for every AppError key and field issue, in each supported language. The renderer merges
 * these into its i18next resources; the CLI and host logs format with `formatMessage`. Placeholders
 * use i18next's `{{name}}` syntax. A test keeps the languages complete and in step.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const errorMessages = {
  en: {
    'errors.invalidInput': 'Please correct the highlighted fields.',
    'errors.field.invalid': 'This value is not valid.',
    'errors.internal': 'Something went wrong on this desk. Nothing was saved; please try again.',
    'errors.unauthorized': 'This window is not signed in to the desk. Reopen it from the Foyer app.',
    'errors.forbidden': 'Your role does not allow this action.',
    'errors.schemaTooNew':
      'This data folder was written by a newer version of Foyer (schema {{found}}, this app knows {{known}}). Update Foyer to open it.',
    'errors.mutator.unknown': 'Unknown action {{name}} (version {{version}}). Update Foyer.',
    'errors.id.invalid': 'Invalid identifier.',
    'errors.name.required': 'Enter a name.',
    'errors.name.tooLong': 'The name is too long.',
    'errors.phone.required': 'Enter a phone number.',
    'errors.phone.invalid': 'This is not a valid phone number. Use 11 digits for a mainland mobile, or + and the country code.',
    'errors.phone.cnMobile': 'A mainland China mobile number has 11 digits and starts with 13–19.',
    'errors.nationalId.format': 'A resident ID number has 18 characters: 17 digits and a final digit or X.',
    'errors.nationalId.birthDate': 'The birth date inside this ID number is not a real date.',
    'errors.nationalId.checksum': 'This ID number fails its check digit. Check for a mistyped digit.',
    'errors.birthDate.mismatchId': 'The birth date does not match the one in the ID number.',
    'errors.birthDate.future': 'The birth date is in the future.',
    'errors.date.format': 'Use the format YYYY-MM-DD.',
    'errors.date.invalid': 'This date does not exist.',
    'errors.gender.invalid': 'Choose a gender.',
    'errors.notes.tooLong': 'Notes can be at most 2000 characters.',
    'errors.tags.empty': 'A tag cannot be empty.',
    'errors.tags.tooLong': 'A tag can be at most 32 characters.',
    'errors.tags.tooMany': 'At most 20 tags.',
    'errors.tags.invalid': 'Invalid tags.',
    'errors.timeZone.unknown': 'Unknown time zone.',
    'errors.money.notInteger': 'Amounts are whole minor units (fen, cents).',
    'errors.money.tooLarge': 'The amount is too large.',
    'errors.money.currency': 'Use a three-letter currency code such as CNY.',
    'errors.country.invalid': 'Use a two-letter country code such as CN.',
    'errors.customer.phoneTaken': 'This phone number already belongs to {{name}}.',
    'errors.customer.idTaken': 'A customer with this identifier already exists.',
    'errors.customer.notFound': 'This customer no longer exists.',
    'errors.organization.exists': 'The organization {{name}} is already set up.',
    'errors.site.kind': 'A site is a clinic or a gym.',
    'errors.site.required': 'Add at least one site.',
    'errors.device.invalidArgument': 'A device command got an invalid value for {{name}} ({{value}}).',
    'errors.device.printer.qrData': 'The QR code content must be 1 to {{max}} printable ASCII characters.',
    'errors.device.printer.barcodeData': 'The barcode content must be 1 to {{max}} printable ASCII characters.',
    'errors.device.modbus.badResponse':
      'The gate controller sent a reply that does not match the request ({{reason}}). Check the wiring and the device address.',
    'errors.device.modbus.illegalFunction': 'The gate controller does not support this command (Modbus function {{function}}).',
    'errors.device.modbus.illegalDataAddress':
      'The gate controller has no such relay or input. Check the channel numbers in the device settings.',
    'errors.device.modbus.illegalDataValue': 'The gate controller rejected the value sent to it.',
    'errors.device.modbus.deviceFailure': 'The gate controller reported an internal failure. Restart it; if this continues, have it checked.',
    'errors.device.modbus.exception': 'The gate controller refused the command (Modbus exception {{code}}, {{name}}).',
  },
  'zh-CN': {
    'errors.invalidInput': '请修改标出的字段。',
    'errors.field.invalid': '此项的值无效。',
    'errors.internal': '本机出现错误，未保存任何内容，请重试。',
    'errors.unauthorized': '此窗口未连接到前台主机，请从 Foyer 应用中重新打开。',
    'errors.forbidden': '您的角色无权执行此操作。',
    'errors.schemaTooNew': '此数据目录由更新版本的 Foyer 写入（结构版本 {{found}}，本程序支持 {{known}}）。请先升级 Foyer。',
    'errors.mutator.unknown': '未知操作 {{name}}（版本 {{version}}），请升级 Foyer。',
    'errors.id.invalid': '标识无效。',
    'errors.name.required': '请输入姓名。',
    'errors.name.tooLong': '姓名过长。',
    'errors.phone.required': '请输入手机号码。',
    'errors.phone.invalid': '手机号码无效。大陆手机号为 11 位数字，境外号码请以 + 和国家区号开头。',
    'errors.phone.cnMobile': '大陆手机号为 11 位数字，以 13–19 开头。',
    'errors.nationalId.format': '身份证号为 18 位：17 位数字加最后一位数字或 X。',
    'errors.nationalId.birthDate': '身份证号中的出生日期不是有效日期。',
    'errors.nationalId.checksum': '身份证号校验位不正确，请检查是否输错。',
    'errors.birthDate.mismatchId': '出生日期与身份证号中的日期不一致。',
    'errors.birthDate.future': '出生日期不能晚于今天。',
    'errors.date.format': '日期格式应为 YYYY-MM-DD。',
    'errors.date.invalid': '该日期不存在。',
    'errors.gender.invalid': '请选择性别。',
    'errors.notes.tooLong': '备注最多 2000 个字符。',
    'errors.tags.empty': '标签不能为空。',
    'errors.tags.tooLong': '每个标签最多 32 个字符。',
    'errors.tags.tooMany': '最多 20 个标签。',
    'errors.tags.invalid': '标签无效。',
    'errors.timeZone.unknown': '未知时区。',
    'errors.money.notInteger': '金额须为整数的最小货币单位（分）。',
    'errors.money.tooLarge': '金额过大。',
    'errors.money.currency': '请使用三位货币代码，如 CNY。',
    'errors.country.invalid': '请使用两位国家代码，如 CN。',
    'errors.customer.phoneTaken': '该手机号已被客户 {{name}} 使用。',
    'errors.customer.idTaken': '已存在相同标识的客户。',
    'errors.customer.notFound': '该客户已不存在。',
    'errors.organization.exists': '机构 {{name}} 已设置。',
    'errors.site.kind': '门店类型须为诊所或健身房。',
    'errors.site.required': '请至少添加一个门店。',
    'errors.device.invalidArgument': '设备指令参数 {{name}} 的值无效（{{value}}）。',
    'errors.device.printer.qrData': '二维码内容须为 1 至 {{max}} 个可打印的 ASCII 字符。',
    'errors.device.printer.barcodeData': '条码内容须为 1 至 {{max}} 个可打印的 ASCII 字符。',
    'errors.device.modbus.badResponse': '闸机控制器的应答与请求不符（{{reason}}），请检查接线和设备地址。',
    'errors.device.modbus.illegalFunction': '闸机控制器不支持此指令（Modbus 功能码 {{function}}）。',
    'errors.device.modbus.illegalDataAddress': '闸机控制器上没有该继电器或输入点，请检查设备设置中的通道号。',
    'errors.device.modbus.illegalDataValue': '闸机控制器拒绝了发送的数值。',
    'errors.device.modbus.deviceFailure': '闸机控制器报告内部故障，请重启；如仍出现，请送检。',
    'errors.device.modbus.exception': '闸机控制器拒绝了指令（Modbus 异常 {{code}}，{{name}}）。',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type MessageKey = keyof (typeof errorMessages)['en'];

/** Formats a key outside React (CLI, logs). Unknown keys come back as the key itself. */
export function formatMessage(lang: Language, key: string, params: Record<string, string | number> = {}): string {
  const table: Record<string, string> = errorMessages[lang];
  const template = table[key] ?? (errorMessages.en as Record<string, string>)[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params[p] ?? `{{${p}}}`));
}
