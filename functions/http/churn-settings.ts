import { churnReference, churnSettings } from '#shared/churn/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

export const handler = withHttp('churn-settings', {}, async () => {
  const [settings, reference] = await Promise.all([churnSettings(), churnReference()]);
  return ok({
    ...settings,
    levels: {
      low: { zh: '低风险', en: 'Low risk' },
      medium: { zh: '中风险', en: 'Medium risk' },
      high: { zh: '高风险', en: 'High risk' },
    },
    reference: reference ?? null,
  });
});
