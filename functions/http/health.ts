import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { db, tableName } from '#shared/store/table.ts';

export const handler = withHttp('health', {}, async ({ now }) => {
  const started = Date.now();
  await db().send(new DescribeTableCommand({ TableName: tableName() }));
  return ok({ status: 'ok', time: now.toISOString(), tableLatencyMs: Date.now() - started });
});
