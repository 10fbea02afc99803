/**
 * Everything a person reads about a ticket's history or an SLA alert, in zh-CN and en. Audit
 * entries and staff notifications carry both; the console picks the reader's language.
 */
import type { SlaMetric } from '#shared/sla/policy.ts';
import type { WaitReason } from './assignment.ts';

export interface Bilingual {
  'zh-CN': string;
  en: string;
}

const METRIC: Record<SlaMetric, Bilingual> = {
  first_response: { 'zh-CN': '首次响应', en: 'first response' },
  next_response: { 'zh-CN': '再次响应', en: 'next response' },
  resolution: { 'zh-CN': '解决', en: 'resolution' },
};

const STATUS: Record<string, Bilingual> = {
  new: { 'zh-CN': '新建', en: 'new' },
  open: { 'zh-CN': '处理中', en: 'open' },
  pending: { 'zh-CN': '待客户回复', en: 'pending' },
  on_hold: { 'zh-CN': '挂起', en: 'on hold' },
  solved: { 'zh-CN': '已解决', en: 'solved' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
};

const PRIORITY: Record<string, Bilingual> = {
  low: { 'zh-CN': '低', en: 'low' },
  normal: { 'zh-CN': '普通', en: 'normal' },
  high: { 'zh-CN': '高', en: 'high' },
  urgent: { 'zh-CN': '紧急', en: 'urgent' },
};

const FIELD: Record<string, Bilingual> = {
  status: { 'zh-CN': '状态', en: 'status' },
  priority: { 'zh-CN': '优先级', en: 'priority' },
  category: { 'zh-CN': '分类', en: 'category' },
  subject: { 'zh-CN': '标题', en: 'subject' },
  tags: { 'zh-CN': '标签', en: 'tags' },
  team: { 'zh-CN': '团队', en: 'team' },
  assignee: { 'zh-CN': '负责人', en: 'assignee' },
  customFields: { 'zh-CN': '自定义字段', en: 'custom fields' },
  escalatedTo: { 'zh-CN': '升级对象', en: 'escalation' },
};

/** One changed field: its name, and its values where they read as words (priority, status, tags). */
function changeText(field: string, change: { from: unknown; to: unknown }): Bilingual {
  const name = FIELD[field] ?? { 'zh-CN': field, en: field };
  const words = field === 'priority' ? PRIORITY : field === 'status' ? STATUS : undefined;
  if (words) {
    const from = pick(words, String(change.from));
    const to = pick(words, String(change.to));
    return { 'zh-CN': `${name['zh-CN']} ${from['zh-CN']} → ${to['zh-CN']}`, en: `${name.en} ${from.en} → ${to.en}` };
  }
  if (field === 'tags' && Array.isArray(change.to)) {
    const tags = change.to.length ? change.to.join(', ') : '–';
    return { 'zh-CN': `${name['zh-CN']}（${change.to.length ? change.to.join('、') : '无'}）`, en: `${name.en} (${tags})` };
  }
  return name;
}

const CHANNEL: Record<string, Bilingual> = {
  chat: { 'zh-CN': '在线聊天', en: 'chat' },
  email: { 'zh-CN': '邮件', en: 'email' },
  phone: { 'zh-CN': '电话', en: 'phone' },
  web_form: { 'zh-CN': '网页表单', en: 'web form' },
  api: { 'zh-CN': '接口', en: 'API' },
  wechat: { 'zh-CN': '微信客服', en: 'WeChat' },
};

const pick = (table: Record<string, Bilingual>, key: string): Bilingual => table[key] ?? { 'zh-CN': key, en: key };

/** Audit and notification texts. */
export const texts = {
  created: (channel: string): Bilingual => ({
    'zh-CN': `通过${pick(CHANNEL, channel)['zh-CN']}创建工单`,
    en: `Ticket created via ${pick(CHANNEL, channel).en}`,
  }),
  assigned: (name: string): Bilingual => ({ 'zh-CN': `分配给 ${name}`, en: `Assigned to ${name}` }),
  unassigned: (): Bilingual => ({ 'zh-CN': '取消分配', en: 'Unassigned' }),
  queued: (team: Bilingual, reason: WaitReason): Bilingual =>
    reason === 'nobody_online'
      ? {
          'zh-CN': `团队「${team['zh-CN']}」当前没有客服在线，工单在队列中等待，有客服上线后自动分配`,
          en: `Nobody in team ${team.en} is online; the ticket waits in the queue until an agent comes online`,
        }
      : reason === 'no_members'
        ? { 'zh-CN': `团队「${team['zh-CN']}」还没有成员，工单在队列中等待`, en: `Team ${team.en} has no members yet; the ticket waits in the queue` }
        : reason === 'not_qualified'
          ? {
              'zh-CN': `团队「${team['zh-CN']}」的在线客服都还未达到上岗要求（情景模拟成绩未达标），工单在队列中等待，有达标客服上线后自动分配`,
              en: `No online agent of team ${team.en} meets its training requirement yet (scenario practice below the passing score); the ticket waits in the queue until a qualified agent is available`,
            }
          : {
              'zh-CN': `团队「${team['zh-CN']}」的在线客服均已满负荷，工单在队列中等待`,
              en: `Every online agent of team ${team.en} is at capacity; the ticket waits in the queue`,
            },
  /** A field-by-field change, in words a reader knows (优先级 普通 → 高), never the field's code name. */
  updated: (changes: Record<string, { from: unknown; to: unknown }>): Bilingual => {
    const parts = Object.entries(changes).map(([field, change]) => changeText(field, change));
    return { 'zh-CN': `更新了${parts.map((p) => p['zh-CN']).join('；')}`, en: `Updated ${parts.map((p) => p.en).join('; ')}` };
  },
  status: (from: string, to: string): Bilingual => ({
    'zh-CN': `状态：${pick(STATUS, from)['zh-CN']} → ${pick(STATUS, to)['zh-CN']}`,
    en: `Status: ${pick(STATUS, from).en} → ${pick(STATUS, to).en}`,
  }),
  reopened: (): Bilingual => ({ 'zh-CN': '客户回复，工单重新打开', en: 'Reopened by a customer reply' }),
  customerReplied: (): Bilingual => ({ 'zh-CN': '客户回复，工单恢复处理', en: 'Customer replied; the ticket is open again' }),
  firstResponse: (name: string): Bilingual => ({ 'zh-CN': `${name} 首次回复`, en: `First response by ${name}` }),
  autoClosed: (days: number): Bilingual => ({ 'zh-CN': `已解决 ${days} 天，自动关闭`, en: `Closed automatically ${days} days after it was solved` }),
  mergedInto: (target: string): Bilingual => ({ 'zh-CN': `已合并到工单 ${target}`, en: `Merged into ticket ${target}` }),
  merged: (source: string): Bilingual => ({ 'zh-CN': `合并了工单 ${source}`, en: `Ticket ${source} was merged into this one` }),
  slaWarning: (metric: SlaMetric, dueAt: string): Bilingual => ({
    'zh-CN': `${METRIC[metric]['zh-CN']}时限即将到期（${dueAt}）`,
    en: `${METRIC[metric].en} target is about to be missed (due ${dueAt})`,
  }),
  slaBreach: (metric: SlaMetric, actions: Bilingual[]): Bilingual => ({
    'zh-CN': `${METRIC[metric]['zh-CN']}已超时${actions.length ? `：${actions.map((a) => a['zh-CN']).join('、')}` : ''}`,
    en: `${METRIC[metric].en} target missed${actions.length ? `: ${actions.map((a) => a.en).join(', ')}` : ''}`,
  }),
  raisedPriority: (from: string, to: string): Bilingual => ({
    'zh-CN': `优先级 ${pick(PRIORITY, from)['zh-CN']} → ${pick(PRIORITY, to)['zh-CN']}`,
    en: `priority ${pick(PRIORITY, from).en} → ${pick(PRIORITY, to).en}`,
  }),
  backToQueue: (): Bilingual => ({ 'zh-CN': '退回团队队列', en: 'back to the team queue' }),
  escalated: (to: string): Bilingual => ({ 'zh-CN': `升级给主管 ${to}`, en: `escalated to supervisor ${to}` }),
};
