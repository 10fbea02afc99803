import { createHash } from 'node:crypto';

/**
 * Erasure of one contact (PRODUCT §9) as an ordered list of idempotent steps. The task records
 * each finished step, so a retry or a second request resumes where a failure stopped; every step
 * is also safe to run twice (pseudonymising pseudonymised data changes nothing).
 */

/** Order matters: the profile and its uniqueness items go last, so every earlier step can still find its data. */
export const ERASE_STEPS = ['exports', 'conversations', 'orders', 'tickets', 'surveys', 'campaigns', 'contact-records', 'profile'] as const;
export type EraseStep = (typeof ERASE_STEPS)[number];

/** One adapter call per step; each returns how many records it changed. */
export type EraseStore = Record<EraseStep, (contactId: string, stub: string) => Promise<number>>;

/** What replaces a message the contact wrote (both languages: staff and auditors read it). */
export const MESSAGE_TOMBSTONE = '〔已应客户要求删除〕 [removed at the customer’s request]';

/** The pseudonymous stub retained records keep instead of the person: stable, not reversible. */
export function erasureStub(contactId: string): string {
  return `erased contact #${createHash('sha256').update(`kefu-erasure\u0000${contactId}`).digest('hex').slice(0, 12)}`;
}

/** Raised when a step fails: carries the step so the task's failure reason names it. */
export class EraseStepError extends Error {
  readonly step: EraseStep;
  constructor(step: EraseStep, cause: unknown) {
    super(`step ${step} failed: ${(cause as Error)?.name ?? 'Error'}`);
    this.name = 'EraseStepError';
    this.step = step;
  }
}

/**
 * Runs the steps not yet done, persisting progress after each one. Throws EraseStepError on the
 * first failure (progress so far is kept).
 */
export async function runErasure(
  contactId: string,
  done: readonly string[],
  store: EraseStore,
  progress: (steps: string[], counts: Record<string, number>) => Promise<void>,
): Promise<{ steps: string[]; counts: Record<string, number> }> {
  const stub = erasureStub(contactId);
  const steps = [...done];
  const counts: Record<string, number> = {};
  for (const step of ERASE_STEPS) {
    if (steps.includes(step)) continue;
    try {
      counts[step] = await store[step](contactId, stub);
    } catch (error) {
      throw new EraseStepError(step, error);
    }
    steps.push(step);
    await progress(steps, counts);
  }
  return { steps, counts };
}
