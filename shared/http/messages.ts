/**
 * Custom validation messages in both languages. A schema passes `msg(english, chinese)` where zod
 * takes a message: zod reports the English text (API callers without a Chinese Accept-Language read
 * it), and with-http shows the Chinese one to zh-CN callers — so a Chinese form never shows English.
 * Dependency-free: schemas in any domain may use it.
 */
const ZH = new Map<string, string>();

/** Registers a message's Chinese text and returns the English one (what the schema reports). */
export function msg(en: string, zh: string): string {
  ZH.set(en, zh);
  return en;
}

/** The Chinese text of a registered message, if any. */
export function zhOf(en: string): string | undefined {
  return ZH.get(en);
}

/** zod's zh-CN locale names types in English ("期望 string"): the nouns a Chinese reader expects. */
const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  array: '列表',
  object: '对象',
  date: '日期',
  bigint: '整数',
  undefined: '空值',
  null: '空值',
};

/** A zod zh-CN message with its English type names in Chinese. */
export function zhTypeNames(message: string): string {
  return message.replace(/\b(string|number|int|boolean|array|object|date|bigint|undefined|null)\b/g, (word) => TYPE_ZH[word] ?? word);
}
