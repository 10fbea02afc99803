/**
 * Strings of Membership and survey settings (settings/membership.tsx, settings/surveys.tsx): loaded with that chunk and added to the catalogue of i18n.ts then.
 */
import { addText } from './i18n.ts';

export const membersEn = {
  setSurveys: 'Surveys',
  setMembership: 'Membership',
};

const membersZh: Record<keyof typeof membersEn, string> = {
  setSurveys: '满意度调查',
  setMembership: '会员',
};

addText({ en: membersEn, 'zh-CN': membersZh });
