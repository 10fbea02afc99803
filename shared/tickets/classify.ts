/**
 * Automatic category, priority and language of a new ticket. The trained classifier
 * (shared/ai/classifier.ts) gives category and language; when it cannot load (its model file is
 * missing from a bundle) simple zh/en keyword rules stand in. Priority always comes from urgency
 * keywords and negative sentiment: the classifier does not predict it.
 */

import { logger } from '#shared/log.ts';
import type { Priority } from '#shared/sla/policy.ts';

export interface TicketGuess {
  category?: string;
  priority: Priority;
  language: 'zh' | 'en';
  source: 'classifier' | 'keywords';
}

const CATEGORY_KEYWORDS: readonly [string, RegExp][] = [
  ['REFUND', /refund|money back|return(ed)? (it|the)|退款|退货|退钱/i],
  ['PAYMENT', /payment|paid|charge[ds]?|card|支付|付款|扣款|扣费|付钱/i],
  ['DELIVERY', /deliver|shipping|shipment|courier|parcel|package|tracking|快递|物流|发货|配送|包裹|到货/i],
  ['ORDER', /order|cancel|订单|下单|取消/i],
  ['INVOICE', /invoice|receipt|发票|收据/i],
  ['ACCOUNT', /account|password|log ?in|sign ?in|账号|账户|密码|登录|注册/i],
  ['SHIPPING_ADDRESS', /address|地址/i],
  ['FEEDBACK', /complain|complaint|投诉|差评|不满/i],
  ['PRODUCT', /size|colou?r|stock|product|尺码|颜色|库存|商品|产品/i],
];
const URGENT = /urgent|asap|immediately|right now|fraud|stolen|charged twice|double charge|紧急|马上|立刻|立即|盗刷|被盗|重复扣款|扣了两次/i;
const HIGH = /angry|terrible|worst|unacceptable|broken|damaged|complain|complaint|refund|生气|太差|最差|不能接受|坏了|破损|投诉|退款/i;
const CJK = /[\u3400-\u9fff]/;

/** Keyword rules: the fallback classifier, and the source of priority for every ticket. */
export function keywordGuess(text: string): TicketGuess {
  const category = CATEGORY_KEYWORDS.find(([, re]) => re.test(text))?.[0];
  return {
    ...(category ? { category } : {}),
    priority: URGENT.test(text) ? 'urgent' : HIGH.test(text) ? 'high' : 'normal',
    language: CJK.test(text) ? 'zh' : 'en',
    source: 'keywords',
  };
}

let classifierFailed = false;

/** Category and language from the trained classifier when it loads, else from keywords; priority from urgency cues. */
export async function guessTicket(text: string): Promise<TicketGuess> {
  const fallback = keywordGuess(text);
  if (classifierFailed) return fallback;
  try {
    const { classify } = await import('#shared/ai/classifier.ts');
    const result = classify(text);
    const negative = result.sentiment === 'negative' && fallback.priority === 'normal';
    return {
      ...(result.category !== 'OTHER' ? { category: result.category } : fallback.category ? { category: fallback.category } : {}),
      priority: negative ? 'high' : fallback.priority,
      language: result.lang === 'zh' ? 'zh' : 'en',
      source: 'classifier',
    };
  } catch (error) {
    classifierFailed = true;
    logger.warn('ticket classifier unavailable; using keyword rules', { errorName: (error as Error).name });
    return fallback;
  }
}
