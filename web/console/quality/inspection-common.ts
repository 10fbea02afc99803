/** Small text helpers the inspection (质检) and training screens share. */
import type { ConsoleKey, Translate } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';

/** The name of a staff member (their subject when unknown). */
export function staffName(staff: readonly StaffMember[], sub: string | undefined, t: Translate): string {
  if (!sub) return t('inspUnknownAgent');
  return staff.find((s) => s.sub === sub)?.name ?? sub;
}

/** The flags of an entry as words. */
export function flagList(kinds: readonly string[], t: Translate): string {
  return kinds.length ? kinds.map((k) => t(`inspFlag_${k}` as ConsoleKey)).join('、') : t('inspNoFlags');
}
