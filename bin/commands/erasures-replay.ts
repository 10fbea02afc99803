/**
 * `kefu erasures replay`: after a point-in-time restore into a new table (docs/aws.md, restore
 * runbook), runs again on the new table every erasure the old table knows — erase tasks in any
 * state and erased profiles — so nobody erased after the restore point comes back.
 */
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { tombstoneOf } from '#infra/local/backup.ts';
import type { Tombstone } from '#infra/local/backup-file.ts';
import { runErasures } from '#infra/local/restore.ts';
import { keys } from '#shared/store/keys.ts';
import { type Command, requireString, UsageError } from '../cli-kit.ts';
import { configureStore } from './import-kit.ts';

/** Every erasure a table records (a Scan with a filter: a one-off operator tool, never a request path). */
async function erasuresIn(tableName: string): Promise<Tombstone[]> {
  const client = new DynamoDBClient({});
  const found: Tombstone[] = [];
  let start: Record<string, AttributeValue> | undefined;
  try {
    do {
      const res = await client.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          FilterExpression: '(begins_with(pk, :task) AND kind = :erase) OR erased = :yes',
          ExpressionAttributeValues: { ':task': { S: keys.privacyTask('').pk }, ':erase': { S: 'erase' }, ':yes': { BOOL: true } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        const tombstone = tombstoneOf(item);
        if (tombstone) found.push(tombstone);
      }
      start = res.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return found;
}

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'erasures replay',
  summary: 'Run again on TABLE every erasure recorded in FROM-TABLE (after a restore into a new table: erased contacts stay erased).',
  usage: 'kefu erasures replay --from-table OLD --table NEW --bucket ATTACHMENTS_BUCKET [--endpoint URL] [--dry-run]',
  options: {
    'from-table': { type: 'string', description: 'the table the erasures were made in (the one before the restore)' },
    table: { type: 'string', description: 'the restored table' },
    bucket: { type: 'string', description: 'the attachments bucket (its erased files are deleted again)' },
    endpoint: { type: 'string', description: 'DynamoDB endpoint (a local one); AWS from the environment otherwise' },
    'dry-run': { type: 'boolean', description: 'only list the contacts' },
  },
  async run(values, io) {
    const from = requireString(values, 'from-table');
    const to = requireString(values, 'table');
    const bucket = requireString(values, 'bucket');
    if (from === to) throw new UsageError('--from-table and --table must differ: the erasures come from the old table and run on the restored one');
    configureStore(values);
    process.env.ATTACHMENTS_BUCKET = bucket;
    const tombstones = await erasuresIn(from);
    const contacts = values['dry-run'] ? [...new Set(tombstones.map((t) => t.contactId))] : await runErasures(tombstones);
    io.out(JSON.stringify({ table: to, fromTable: from, dryRun: values['dry-run'] === true, contacts }));
    io.err(`erasures replay: ${contacts.length} contact(s) ${values['dry-run'] ? 'would be' : 'were'} erased again on ${to}`);
  },
};
