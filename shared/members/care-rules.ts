import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { tableName } from '#shared/store/table.ts';

/**
 * Care-message rules and dates (pure, no clients): imported by the shop-event transaction that
 * writes the dated index items and by the hourly care run (shared/members/care.ts).
 */

export type CareRule = 'birthday' | 'anniversary' | 'post_delivery' | 'first_order';

interface RuleDef {
  rule: CareRule;
  /** Yearly rules match month-day; dated rules match a date `afterDays` back. */
  yearly: boolean;
  afterDays: number;
  text: { zh: { title: string; body: string }; en: { title: string; body: string } };
}

/** The built-in rules (zh-CN and en); `{name}` is the member's name or a neutral greeting. */
export const CARE_RULES: readonly RuleDef[] = [
  {
    rule: 'birthday',
    yearly: true,
    afterDays: 0,
    text: {
      zh: { title: '生日快乐！', body: '{name}，祝您生日快乐！感谢一路相伴。' },
      en: { title: 'Happy birthday!', body: 'Happy birthday, {name}! Thank you for being with us.' },
    },
  },
  {
    rule: 'anniversary',
    yearly: true,
    afterDays: 0,
    text: {
      zh: { title: '会员周年快乐', body: '{name}，今天是您成为我们会员的周年纪念日，感谢您的信任！' },
      en: { title: 'Happy membership anniversary', body: '{name}, today marks another year since your first order with us. Thank you!' },
    },
  },
  {
    rule: 'post_delivery',
    yearly: false,
    afterDays: 3,
    text: {
      zh: { title: '商品用得还好吗？', body: '{name}，您的订单已送达几天了，使用中有任何问题随时告诉我们。' },
      en: { title: 'How is your order?', body: '{name}, your order arrived a few days ago. If anything is not right, just tell us here.' },
    },
  },
  {
    rule: 'first_order',
    yearly: false,
    afterDays: 0,
    text: {
      zh: { title: '欢迎成为会员', body: '{name}，感谢您的第一笔订单！有任何问题都可以在这里找到我们。' },
      en: { title: 'Welcome aboard', body: '{name}, thank you for your first order! You can reach us here any time.' },
    },
  },
];

/** The dated index item of one occasion (written in the shop event's transaction). */
export function careDateItem(contactId: string, rule: CareRule, ref: string, date: string): TransactItem {
  const yearly = CARE_RULES.find((r) => r.rule === rule)?.yearly ?? false;
  const day = yearly ? date.slice(5, 10) : date.slice(0, 10);
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.careDate(contactId, rule, ref), ...keys.careDateIndex(rule, day, contactId, ref), contactId, rule, ref, date: date.slice(0, 10) },
    },
  };
}

/** `yyyy-mm-dd` of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The index partitions (rule, day) that fall due on `today` (Feb 29 birthdays are greeted on Feb 28 in common years). */
export function dueDays(today: string): { rule: CareRule; day: string; occurrence: string }[] {
  const out: { rule: CareRule; day: string; occurrence: string }[] = [];
  const year = Number(today.slice(0, 4));
  for (const r of CARE_RULES) {
    if (r.yearly) {
      const md = today.slice(5);
      out.push({ rule: r.rule, day: md, occurrence: today.slice(0, 4) });
      if (md === '02-28' && !isLeap(year)) out.push({ rule: r.rule, day: '02-29', occurrence: today.slice(0, 4) });
    } else {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) - r.afterDays * 86_400_000).toISOString().slice(0, 10);
      out.push({ rule: r.rule, day, occurrence: day });
    }
  }
  return out;
}

/** A care message's title and body in the member's language. */
export function renderCare(rule: CareRule, lang: 'zh' | 'en', name: string | undefined): { title: string; body: string } {
  const def = CARE_RULES.find((r) => r.rule === rule) as RuleDef;
  const t = def.text[lang];
  const who = name?.trim() || (lang === 'zh' ? '亲爱的会员' : 'dear member');
  return { title: t.title, body: t.body.replace('{name}', who) };
}
