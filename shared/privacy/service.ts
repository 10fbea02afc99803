import * as z from 'zod/mini';
import { exportDownloadUrl, putExportBundle } from '#shared/attachments.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { EraseStepError, erasureStub, runErasure } from '#shared/privacy/erase.ts';
import { buildExport } from '#shared/privacy/export.ts';
import { dynamoEraseStore, dynamoExportReads } from '#shared/privacy/store.ts';
import { createTask, getTask, type PrivacyKind, type PrivacyTask, tasksOfContact, updateTask } from '#shared/privacy/tasks.ts';
import { enqueue } from '#shared/queue/send.ts';
import { keys } from '#shared/store/keys.ts';

/** What travels on the privacy-tasks queue. */

/** Path parameter of a task. */
export const TaskParams = z.strictObject({ taskId: z.string().check(z.regex(/^prv_[0-9a-z]{26}$/, 'not a task id')) });

/** Task states as a person reads them. */
const STATE_TEXT: Record<PrivacyTask['state'], { 'zh-CN': string; en: string }> = {
  queued: { 'zh-CN': '排队中', en: 'Queued' },
  running: { 'zh-CN': '处理中', en: 'In progress' },
  done: { 'zh-CN': '已完成', en: 'Done' },
  failed: { 'zh-CN': '失败，可重新提交以继续', en: 'Failed; request it again to resume' },
};

/**
 * Starts a task, or returns the contact's open one of the same kind (one export or erasure at a
 * time). A failed erasure is resumed (same task, its finished steps kept) rather than restarted.
 */
export async function requestTask(
  kind: PrivacyKind,
  contactId: string,
  requestedBy: PrivacyTask['requestedBy'],
  includeInternal: boolean,
  now: Date,
): Promise<PrivacyTask> {
  const open = (await tasksOfContact(contactId, 20)).find(
    (t) => t.kind === kind && (t.state === 'queued' || t.state === 'running' || (kind === 'erase' && t.state === 'failed')),
  );
  if (open && open.state !== 'failed') return open;
  if (open) {
    const attempts = open.attempts + 1;
    await updateTask(open.taskId, { state: 'queued', attempts, updatedAt: now.toISOString() }, ['failure']);
    await enqueue('privacy-tasks', { taskId: open.taskId, attempt: attempts });
    return { ...open, state: 'queued', attempts };
  }
  const at = now.toISOString();
  const task: PrivacyTask = {
    taskId: newId('prv', now.getTime()),
    kind,
    contactId,
    requestedBy,
    includeInternal,
    state: 'queued',
    steps: [],
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  await createTask(task);
  await enqueue('privacy-tasks', { taskId: task.taskId, attempt: 0 });
  return task;
}

/** A task as its requester sees it, with a fresh 15-minute link when an export is done. */
export async function taskView(task: PrivacyTask, now: Date) {
  const download = task.kind === 'export' && task.state === 'done' && task.objectKey ? await exportDownloadUrl(task.objectKey, now) : undefined;
  return {
    taskId: task.taskId,
    kind: task.kind,
    contactId: task.contactId,
    state: task.state,
    stateText: STATE_TEXT[task.state],
    ...(task.kind === 'erase' ? { steps: task.steps } : { includesInternalNotes: task.includeInternal }),
    ...(task.counts ? { counts: task.counts } : {}),
    ...(task.failure ? { failure: task.failure } : {}),
    ...(task.stub ? { stub: task.stub } : {}),
    ...(download ? { download } : {}),
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

/** Reads a task; undefined when it does not exist. */
export { getTask };

/**
 * Runs one task (the queue consumer). Failures are recorded on the task with a reason and
 * rethrown, so SQS retries the message; a retry resumes from the recorded steps.
 */
export async function runTask(taskId: string, now: () => Date = () => new Date()): Promise<void> {
  const task = await getTask(taskId);
  if (!task || task.state === 'done') return;
  await updateTask(taskId, { state: 'running', updatedAt: now().toISOString() });
  try {
    if (task.kind === 'export') {
      const bundle = await buildExport(task.contactId, { includeInternal: task.includeInternal, now: now() }, dynamoExportReads);
      const objectKey = keys.exportObject(task.taskId);
      await putExportBundle(objectKey, JSON.stringify(bundle, null, 2));
      const counts = {
        orders: bundle.orders.length,
        conversations: bundle.conversations.length,
        tickets: bundle.tickets.length,
        surveys: bundle.surveys.length,
        pointsLedger: bundle.pointsLedger.length,
      };
      await updateTask(taskId, { state: 'done', objectKey, counts, updatedAt: now().toISOString() });
    } else {
      const result = await runErasure(task.contactId, task.steps, dynamoEraseStore, (steps, counts) =>
        updateTask(taskId, { steps, counts: { ...task.counts, ...counts }, updatedAt: now().toISOString() }),
      );
      await updateTask(taskId, { state: 'done', steps: result.steps, stub: erasureStub(task.contactId), updatedAt: now().toISOString() });
    }
    logger.info('privacy task done', { taskId, kind: task.kind });
  } catch (error) {
    const reason = error instanceof EraseStepError ? error.message : `${(error as Error)?.name ?? 'Error'} while running the ${task.kind}`;
    await updateTask(taskId, { state: 'failed', failure: { reason, at: now().toISOString() }, updatedAt: now().toISOString() });
    logger.warn('privacy task failed', { taskId, kind: task.kind, reason });
    throw error;
  }
}
