import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { keys } from '#shared/store/keys.ts';
import { presenceBySub } from '#shared/store/presence.ts';
import { db, tableName } from '#shared/store/table.ts';

export const handler = withHttp('staff-list', {}, async ({ now }) => {
  const [staff, presence] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.staffListing('').gsi1pk },
      }),
    ),
    presenceBySub(now),
  ]);
  return ok({
    items: (staff.Items ?? []).map((s) => ({
      sub: s.sub as string,
      name: s.name as string,
      email: s.email as string,
      roles: s.roles as string[],
      presence: presence.get(s.sub as string) ?? 'offline',
    })),
  });
});
