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

const CHANNEL: Record<string, Bilingual> = {
  chat: { 'zh-CN': '在线聊天', en: 'chat' },
  email: { 'zh-CN': '邮件', en: 'email' },
  phone: { 'zh-CN': '电话', en: 'phone' },
  web_form: { 'zh-CN': '网页表单', en: 'web form' },
  api: { 'zh-CN': '接口', en: 'API' },
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
        : {
            'zh-CN': `团队「${team['zh-CN']}」的在线客服均已满负荷，工单在队列中等待`,
            en: `Every online agent of team ${team.en} is at capacity; the ticket waits in the queue`,
          },
  updated: (fields: string[]): Bilingual => ({ 'zh-CN': `更新了 ${fields.join('、')}`, en: `Updated ${fields.join(', ')}` }),
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
