import * as z from 'zod/mini';
import { churnModel, churnRetention, type RetentionResponse } from '#shared/churn/model-store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** No query parameters: anything else is a client mistake. */
const Query = z.strictObject({});

/** The churn model card and the retention aggregate, both precomputed by the daily run (two GetItems). */
export const handler = withHttp('churn-retention', { query: Query }, async () => {
  const [card, retention] = await Promise.all([churnModel(Date.now(), true), churnRetention()]);
  let model: RetentionResponse['model'] = null;
  if (card) {
    const { spec: _spec, ...rest } = card;
    model = rest;
  }
  const body: RetentionResponse = { model, retention: retention ?? null };
  return ok(body);
});
