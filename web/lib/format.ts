import type { Locale } from './types.ts';

/** Time of a message: hour and minute today, with the date on other days. */
export function formatTime(iso: string, locale: Locale, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** `zh-CN` for any Chinese tag, `en` for everything else. */
export function pickLocale(...tags: (string | null | undefined)[]): Locale {
  for (const tag of tags) {
    if (!tag) continue;
    return tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  }
  return 'en';
}

/** Replaces `{name}` placeholders in a catalogue string. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
