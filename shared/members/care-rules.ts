import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { tableName } from '#shared/store/table.ts';

/**
 * Care-message rules and dates (pure, no clients): imported by the shop-event transaction that
 * writes the dated index items and by the hourly care run (shared/members/care.ts).
 */

/** Rules the hourly run finds through dated index items. */
export type DatedCareRule = 'birthday' | 'anniversary' | 'post_delivery' | 'first_order';
/** Proactive rules another job raises (催单: a quiet shipment, a late dispatch; shared/logistics/nudge.ts). */
export type ProactiveCareRule = 'shipment_stalled' | 'dispatch_late';
export type CareRule = DatedCareRule | ProactiveCareRule;

type CareText = { zh: { title: string; body: string }; en: { title: string; body: string } };

interface RuleDef {
  rule: DatedCareRule;
  /** Yearly rules match month-day; dated rules match a date `afterDays` back. */
  yearly: boolean;
  afterDays: number;
  text: CareText;
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

/** The proactive rules' texts; `{order}`, `{carrier}`, `{tracking}` are filled by the job that raises them. */
export const PROACTIVE_CARE_TEXT: Record<ProactiveCareRule, CareText> = {
  shipment_stalled: {
    zh: {
      title: '您的包裹我们在跟进',
      body: '{name}，您的订单 {order}（{carrier} {tracking}）的物流信息有一段时间没有更新了。我们已联系快递公司催促，有进展会第一时间告诉您，给您带来不便非常抱歉。',
    },
    en: {
      title: 'We are following up on your parcel',
      body: '{name}, the tracking of your order {order} ({carrier} {tracking}) has not moved for a while. We have asked the carrier to look into it and will let you know as soon as it moves. Sorry for the wait.',
    },
  },
  dispatch_late: {
    zh: {
      title: '您的订单正在加紧发货',
      body: '{name}，您的订单 {order} 还没有按约定时间发出，我们已在加急处理，发货后会第一时间通知您，非常抱歉让您久等。',
    },
    en: {
      title: 'Your order is being hurried along',
      body: '{name}, your order {order} has not shipped by the promised time. We are hurrying it and will tell you as soon as it ships. Sorry for the wait.',
    },
  },
};

/** The dated index item of one occasion (written in the shop event's transaction). */
export function careDateItem(contactId: string, rule: DatedCareRule, ref: string, date: string): TransactItem {
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
export function dueDays(today: string): { rule: DatedCareRule; day: string; occurrence: string }[] {
  const out: { rule: DatedCareRule; day: string; occurrence: string }[] = [];
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

/** A care message's title and body in the member's language (`vars` fill a proactive rule's other placeholders). */
export function renderCare(rule: CareRule, lang: 'zh' | 'en', name: string | undefined, vars: Record<string, string> = {}): { title: string; body: string } {
  const text = CARE_RULES.find((r) => r.rule === rule)?.text ?? PROACTIVE_CARE_TEXT[rule as ProactiveCareRule];
  const t = text[lang];
  const who = name?.trim() || (lang === 'zh' ? '亲爱的会员' : 'dear member');
  const values: Record<string, string> = { ...vars, name: who };
  const body = vars.code ? `${t.body}${COUPON_LINE[lang]}` : t.body;
  return { title: t.title, body: body.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all) };
}

/** Added when a care message carries a coupon (`{coupon}` its terms, `{code}`, `{expires}` its last day). */
const COUPON_LINE = {
  zh: '为表歉意，送您一张{coupon}优惠券，券码 {code}，{expires} 前有效。',
  en: ' As an apology, here is a coupon for {coupon}: {code}, valid until {expires}.',
};
