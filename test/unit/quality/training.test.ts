import { describe, expect, it } from 'vitest';
import { zhOf } from '#shared/http/messages.ts';
import { DEFAULT_SETTINGS, defaultRubric } from '#shared/quality/inspection-model.ts';
import { anonymise, coverage, keyTerms, replyPractice, type Scenario, scriptOf, startPractice, writtenScript } from '#shared/quality/training.ts';
import { ProgressQuery, WrittenScenarioBody } from '#shared/quality/training-api.ts';
import { type PracticeRecord, progressOf, recordOf } from '#shared/quality/training-progress.ts';

const at = (s: number) => new Date(Date.parse('2026-03-02T02:00:00Z') + s * 1000).toISOString();
const m = (kind: 'visitor' | 'agent', text: string, s: number, internal = false) => ({
  messageId: `msg_${s}`,
  author: kind === 'agent' ? { kind, sub: 'a1', name: '李娜' } : { kind, name: '王小明' },
  text,
  internal,
  createdAt: at(s),
});

describe('scenario training', () => {
  it('anonymises names, phones and order numbers', () => {
    const text = anonymise('王小明您好，订单 DD20260301998877 已发往北京市朝阳区建国路88号，电话 13812345678', ['王小明']);
    expect(text).not.toContain('王小明');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('DD20260301998877');
    expect(text).toContain('顾客您好');
    expect(text).toContain('[订单号]');
    expect(anonymise('我是张伟，快递没到', [])).toBe('我是顾客，快递没到');
    expect(anonymise('Hi, my name is Anna Lee.', [])).toBe('Hi, my name is [name].');
  });

  it('turns a conversation into a script: shopper runs with the agent answer that follows, internal notes left out', () => {
    const turns = scriptOf(
      [
        m('visitor', '我是王小明，快递三天没动了', 0),
        m('visitor', '订单号 SO12345678', 5),
        m('agent', '内部：查一下', 6, true),
        m('agent', '您好，我帮您联系快递公司催件，今天会派送', 10),
        m('visitor', '好的谢谢', 20),
        m('agent', '不客气，祝您生活愉快', 25),
        m('visitor', '还在吗', 30),
      ],
      ['王小明', '李娜'],
    );
    expect(turns).toHaveLength(2);
    expect(turns[0]?.customer).toBe('我是顾客，快递三天没动了\n订单号 [订单号]');
    expect(turns[0]?.modelAnswer).toBe('您好，我帮您联系快递公司催件，今天会派送');
    expect(turns[0]?.keyTerms).toContain('快递');
    expect(turns[0]?.keyTerms).not.toContain('您好');
  });

  it('measures how much of a model answer a reply covers', () => {
    const terms = keyTerms('我帮您联系快递公司催件，今天会派送');
    expect(coverage('已联系快递公司催件，今天派送', terms)).toBeGreaterThan(0.5);
    expect(coverage('请耐心等待', terms)).toBe(0);
    expect(coverage('anything', [])).toBe(1);
  });

  it('replays the script offline: a reply off the point makes the shopper ask again once, then it is scored with a debrief', () => {
    const scenario: Scenario = {
      scenarioId: 'scn_1',
      title: '催件',
      goal: '安抚并给出派送时间',
      sourceConversationId: 'cnv_1',
      teamId: 'general',
      createdBy: 'lead',
      createdAt: at(0),
      turns: scriptOf(
        [
          m('visitor', '快递三天没动了，怎么回事？', 0),
          m('agent', '您好，我帮您联系快递公司催件，今天会派送', 10),
          m('visitor', '好的谢谢', 20),
          m('agent', '不客气，还有其他问题吗？祝您生活愉快', 25),
        ],
        [],
      ),
    };
    const ctx = { rubric: defaultRubric('general'), settings: DEFAULT_SETTINGS, now: new Date(at(100)) };
    let s = startPractice(scenario, 'a2', 'trn_1', 0, ctx.now);
    expect(s.messages).toEqual([{ author: 'customer', text: '快递三天没动了，怎么回事？', at: at(100), turn: 0 }]);
    s = replyPractice(s, scenario, '嗯', ctx);
    expect(s.turn).toBe(0);
    expect(s.messages.at(-1)?.text).toBe('您还没回答我的问题：快递三天没动了，怎么回事？');
    s = replyPractice(s, scenario, '您好，我马上联系快递公司催件，今天会派送', ctx);
    expect(s.turn).toBe(1);
    expect(s.messages.at(-1)?.text).toBe('好的谢谢');
    s = replyPractice(s, scenario, '不客气，还有其他问题吗？祝您生活愉快', ctx);
    expect(s.status).toBe('done');
    // the first reply had no greeting and was a bare word to a question
    expect(s.result?.flags).toEqual(['missing_greeting', 'curt_reply']);
    expect(s.result?.scores).toMatchObject({ greeting: 0, tone: 0, understanding: 100, closing: 100, response_time: 100 });
    expect(s.result?.total).toBe(75);
    expect(s.result?.passed).toBe(false);
    expect(s.result?.debrief[0]).toMatchObject({
      replies: ['嗯', '您好，我马上联系快递公司催件，今天会派送'],
      modelAnswer: '您好，我帮您联系快递公司催件，今天会派送',
    });
  });

  it('validates a written scenario strictly, with messages in both languages', () => {
    const good = {
      title: ' 退货运费 ',
      goal: '说明运费规则并安抚',
      lines: [{ customer: '退货运费谁出？', keyPoints: ['七天无理由', '运费险'] }, { customer: '好的' }],
    };
    const parsed = WrittenScenarioBody.safeParse(good);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.title).toBe('退货运费');
    expect(WrittenScenarioBody.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(WrittenScenarioBody.safeParse({ ...good, lines: [{ customer: '你好', extra: true }] }).success).toBe(false);
    const empty = WrittenScenarioBody.safeParse({ ...good, lines: [] });
    expect(empty.success).toBe(false);
    expect(zhOf(empty.error!.issues[0]!.message)).toBe('请至少写一句顾客的话');
    const blank = WrittenScenarioBody.safeParse({ ...good, lines: [{ customer: '   ' }] });
    expect(blank.error?.issues[0]?.path).toEqual(['lines', 0, 'customer']);
    expect(zhOf(blank.error!.issues[0]!.message)).toBe('顾客的话不能为空');
    const many = WrittenScenarioBody.safeParse({ ...good, lines: [{ customer: '在吗', keyPoints: Array.from({ length: 9 }, (_, i) => `要点${i}`) }] });
    expect(zhOf(many.error!.issues[0]!.message)).toBe('每句话最多 8 个要点');
    expect(WrittenScenarioBody.safeParse({ ...good, lines: Array.from({ length: 31 }, () => ({ customer: '在吗' })) }).success).toBe(false);
    expect(WrittenScenarioBody.safeParse({ ...good, teamId: 'Not A Team' }).success).toBe(false);
    expect(ProgressQuery.safeParse({ teamId: 'general' }).success).toBe(true);
    expect(ProgressQuery.safeParse({ limit: '5' }).success).toBe(false);
  });

  it('turns written lines into a script: key points are the model answer; a line without any is never asked again', () => {
    const turns = writtenScript([{ customer: ' 退货运费谁出？ ', keyPoints: ['七天无理由', ' 运费险 '] }, { customer: '好的' }]);
    expect(turns[0]).toMatchObject({ customer: '退货运费谁出？', modelAnswer: '七天无理由；运费险' });
    expect(turns[0]?.keyTerms).toContain('运费');
    expect(turns[1]).toEqual({ customer: '好的', modelAnswer: '', keyTerms: [] });
    const scenario: Scenario = {
      scenarioId: 'scn_w',
      title: '运费',
      goal: '说明',
      source: 'written',
      teamId: 'general',
      createdBy: 'lead',
      createdAt: at(0),
      turns,
    };
    const ctx = { rubric: defaultRubric('general'), settings: DEFAULT_SETTINGS, now: new Date(at(100)) };
    let s = startPractice(scenario, 'a2', 'trn_w', 0, ctx.now);
    s = replyPractice(s, scenario, '您好，请稍等', ctx);
    expect(s.messages.at(-1)?.text).toBe('您还没回答我的问题：退货运费谁出？');
    s = replyPractice(s, scenario, '您好，支持七天无理由退货，有运费险的话运费由保险公司承担', ctx);
    expect(s.messages.at(-1)?.text).toBe('好的');
    s = replyPractice(s, scenario, '嗯嗯', ctx);
    expect(s.status).toBe('done');
    expect(recordOf(s, scenario, '李娜', at(200))).toMatchObject({
      sessionId: 'trn_w',
      scenarioTitle: '运费',
      agent: 'a2',
      agentName: '李娜',
      total: s.result?.total,
    });
  });

  it('aggregates progress per agent: best score per scenario, scenarios and practices passed, most recent first', () => {
    const r = (agent: string, scenarioId: string, total: number, passed: boolean, s: number): PracticeRecord => ({
      sessionId: `trn_${agent}_${s}`,
      scenarioId,
      scenarioTitle: scenarioId === 'scn_a' ? '催件' : '退款',
      teamId: 'general',
      agent,
      agentName: agent === 'a1' ? '李娜' : '王强',
      total,
      passed,
      finishedAt: at(s),
    });
    const agents = progressOf([r('a1', 'scn_a', 60, false, 1), r('a1', 'scn_a', 90, true, 2), r('a1', 'scn_b', 40, false, 3), r('a2', 'scn_a', 85, true, 9)]);
    expect(agents.map((a) => a.agent)).toEqual(['a2', 'a1']);
    const a1 = agents[1]!;
    expect(a1).toMatchObject({ agentName: '李娜', practices: 3, practicesPassed: 1, scenariosPassed: 1, lastAt: at(3) });
    expect(a1.scenarios).toEqual([
      { scenarioId: 'scn_a', title: '催件', best: 90, passed: true, attempts: 2, lastAt: at(2) },
      { scenarioId: 'scn_b', title: '退款', best: 40, passed: false, attempts: 1, lastAt: at(3) },
    ]);
    expect(progressOf([])).toEqual([]);
  });
});
