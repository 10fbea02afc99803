import { describe, expect, test } from 'vitest';
import { BUILTIN_DEFINITIONS, ResponseBody } from '#shared/feedback/model.ts';
import type { SurveyQuestion } from '../../../web/lib/types.ts';
import { answersToSend, linkSegments, questionVisible, scaleOf, shortUrl } from '../../../web/widget/extras.ts';

const csat = BUILTIN_DEFINITIONS.find((d) => d.definitionId === 'csat')!.questions as SurveyQuestion[];

describe('widget survey form', () => {
  test('the reasons question shows only for a CSAT of 2 or less', () => {
    const reasons = csat.find((q) => q.id === 'reasons')!;
    expect(questionVisible(reasons, {})).toBe(false);
    expect(questionVisible(reasons, { csat: 4 })).toBe(false);
    expect(questionVisible(reasons, { csat: 2 })).toBe(true);
  });

  test('scales: CSAT 1–5, CES 1–7, NPS 0–10', () => {
    expect(scaleOf('csat')).toEqual([1, 2, 3, 4, 5]);
    expect(scaleOf('ces')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(scaleOf('nps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('answers sent are the visible, non-empty ones, in the shape the server accepts', () => {
    const low = answersToSend(csat, { csat: 1, reasons: ['slow'], comment: '  Parcel arrived broken  ' });
    expect(low).toEqual({ csat: 1, reasons: ['slow'], comment: 'Parcel arrived broken' });
    expect(ResponseBody.parse({ answers: low, lang: 'en' }).answers).toEqual(low);
    expect(answersToSend(csat, { csat: 5, reasons: ['slow'], comment: '' })).toEqual({ csat: 5 });
  });
});

describe('campaign message text', () => {
  test('http(s) links become link pieces; everything else stays text', () => {
    expect(linkSegments('Hi! Unsubscribe: https://kefu.example/unsubscribe?t=abc.def. Thanks')).toEqual([
      { text: 'Hi! Unsubscribe: ' },
      { text: 'https://kefu.example/unsubscribe?t=abc.def', url: 'https://kefu.example/unsubscribe?t=abc.def' },
      { text: '. Thanks' },
    ]);
    expect(shortUrl('https://kefu.example/unsubscribe?t=abc.def&lang=en')).toBe('kefu.example/unsubscribe…');
    expect(shortUrl('https://shop.example/')).toBe('shop.example');
    expect(linkSegments('javascript:alert(1) <b>x</b>')).toEqual([{ text: 'javascript:alert(1) <b>x</b>' }]);
    expect(linkSegments('退订：http://127.0.0.1:4100/unsubscribe?t=x，谢谢')).toEqual([
      { text: '退订：' },
      { text: 'http://127.0.0.1:4100/unsubscribe?t=x', url: 'http://127.0.0.1:4100/unsubscribe?t=x' },
      { text: '，谢谢' },
    ]);
  });
});
