import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export type PrivacyKind = 'export' | 'erase';
export type TaskState = 'queued' | 'running' | 'done' | 'failed';

/** A tracked export or erasure of one contact; `steps` lists finished erasure steps (resume point). */
export interface PrivacyTask {
  taskId: string;
  kind: PrivacyKind;
  contactId: string;
  requestedBy: { kind: 'visitor' | 'staff'; sub?: string };
  /** Export only: include internal notes (admin exports); a shopper's own export never does. */
  includeInternal: boolean;
  state: TaskState;
  steps: string[];
  attempts: number;
  /** Export: the bundle's object key in the attachments bucket once written. */
  objectKey?: string;
  /** Erasure: the pseudonymous stub that replaces the contact in retained records. */
  stub?: string;
  counts?: Record<string, number>;
  failure?: { reason: string; at: string };
  createdAt: string;
  updatedAt: string;
}

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
function clean(item: Record<string, unknown>): PrivacyTask {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as unknown as PrivacyTask;
}

/** Records a new task (queued) and lists it under its contact. */
export async function createTask(task: PrivacyTask): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.privacyTask(task.taskId), ...keys.privacyTaskOfContact(task.contactId, task.createdAt, task.taskId), ...task },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** Reads a task (consistent: the consumer resumes from its steps). */
export async function getTask(taskId: string): Promise<PrivacyTask | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.privacyTask(taskId), ConsistentRead: true }));
  return res.Item ? clean(res.Item) : undefined;
}

/** Sets fields of a task (state transitions, finished steps, failure reason). */
export async function updateTask(taskId: string, patch: Partial<Omit<PrivacyTask, 'taskId' | 'contactId' | 'kind'>>, remove: string[] = []): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(patch).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removals = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.privacyTask(taskId),
      UpdateExpression: `${sets.length ? `SET ${sets.join(', ')}` : ''}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ...(sets.length ? { ExpressionAttributeValues: values } : {}),
    }),
  );
}

/** A contact's privacy tasks, newest first (open-task check and erasure of old export bundles). */
export async function tasksOfContact(contactId: string, limit = 100): Promise<PrivacyTask[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.privacyTaskOfContact(contactId, '', '').gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(clean);
}
