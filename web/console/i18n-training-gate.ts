/**
 * Strings of the teams' training requirement (上岗要求): the requirement in the team editor, who
 * qualifies on the team page and list, the hint in the assignee picker, and the scenarios an agent
 * still has to pass in Reports › 情景模拟. Loaded with those screens and added to the catalogue of
 * i18n.ts then.
 */
import { addText } from './i18n.ts';

export const gateEn = {
  gateTitle: 'Training requirement',
  gateIntro:
    'Members are routed tickets and chats automatically only after their best practice score reaches the passing score on every scenario chosen here. Supervisors can still assign anyone by hand.',
  gateEnable: 'Require scenario practice before routing work',
  gateScenarios: 'Required scenarios',
  gateScenariosHint: 'Choose from the scenario library (Reports › Scenario training).',
  gateNoScenarios: 'The scenario library is empty: write or create a scenario first.',
  gateRequire: 'Require “{title}”',
  gatePassingScore: 'Passing score',
  gatePassingScoreHint: '0 to 100: the best score needed on each required scenario.',
  gatePassingRule: 'Enter a whole number from 0 to 100.',
  gatePickOne: 'Choose at least one scenario.',
  gateColumn: 'Training',
  gateQualified: 'Qualified',
  gateNotQualified: 'Not qualified',
  gateNone: 'No requirement',
  gateSummary: '{count} scenarios, pass at {score}',
  gateQualifiedCount: '{qualified} of {total} qualified',
  gateScoreOf: '{title}: {best}',
  gateNotTried: '{title}: not practised',
  gateUnknownScenario: 'Scenario {id} (no longer in the library)',
  gateLoadFailed: 'The training results could not be loaded.',
  gatePickerHint: 'not qualified',
  gateMineTitle: 'Required before you are routed work',
  gateMineIntro: 'Your team “{team}” requires a best score of at least {score} on these scenarios.',
  gateMineAllDone: 'You meet the training requirement of “{team}”.',
  gateMineTodo: 'Still to pass',
  gateMineDone: 'Passed',
  gateMineBest: 'your best: {best}',
  gateMineNotTried: 'not practised yet',
};

export const gateZh: Record<keyof typeof gateEn, string> = {
  gateTitle: '上岗要求',
  gateIntro: '成员在下面所选的每个情景中的最高练习成绩都达到及格分后，才会被自动分配工单和会话。主管仍可手动分配给任何人。',
  gateEnable: '要求先通过情景模拟再分配工作',
  gateScenarios: '必练情景',
  gateScenariosHint: '从情景库中选择（报表 › 情景模拟）。',
  gateNoScenarios: '情景库还是空的，请先编写或创建情景。',
  gateRequire: '要求练习「{title}」',
  gatePassingScore: '及格分',
  gatePassingScoreHint: '0 到 100：每个必练情景需要达到的最高成绩。',
  gatePassingRule: '请输入 0 到 100 之间的整数。',
  gatePickOne: '请至少选择一个情景。',
  gateColumn: '上岗要求',
  gateQualified: '达标',
  gateNotQualified: '未达标',
  gateNone: '无要求',
  gateSummary: '{count} 个情景，及格分 {score}',
  gateQualifiedCount: '{total} 人中 {qualified} 人达标',
  gateScoreOf: '{title}：{best} 分',
  gateNotTried: '{title}：未练习',
  gateUnknownScenario: '情景 {id}（已不在情景库中）',
  gateLoadFailed: '无法加载练习成绩。',
  gatePickerHint: '未达上岗要求',
  gateMineTitle: '上岗前需要通过的情景',
  gateMineIntro: '你所在的团队「{team}」要求以下情景的最高成绩达到 {score} 分。',
  gateMineAllDone: '你已达到团队「{team}」的上岗要求。',
  gateMineTodo: '还需通过',
  gateMineDone: '已通过',
  gateMineBest: '最高成绩：{best} 分',
  gateMineNotTried: '尚未练习',
};

addText({ en: gateEn, 'zh-CN': gateZh });
