import type { Message, MessagePage } from './types.ts';

/**
 * Fetches the messages newer than `knownId` by paging backwards from the newest page until a page
 * holds the known message (or `maxPages` is reached). Without a known message it returns the
 * newest page only. The result is oldest → newest and may overlap what the caller already holds:
 * merge it by messageId.
 */
export async function fetchSince(
  fetchPage: (before: string | undefined) => Promise<MessagePage>,
  knownId: string | undefined,
  maxPages = 5,
): Promise<Message[]> {
  const collected: Message[] = [];
  let before: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(before);
    collected.unshift(...result.items);
    if (!knownId || !result.nextBefore || result.items.some((m) => m.messageId === knownId)) break;
    before = result.nextBefore;
  }
  return collected;
}
