/**
 * What one socket receives of a push: SERVER_FRAMES (its role) first, then the reader's own view
 * (masking), then what it subscribed to; a subscribed socket gets one wire message per event.
 */
import { describe, expect, it } from 'vitest';
import { perAudience, readsUnmaskedText } from '#shared/privacy/views.ts';
import { type Connection, type ConnectionOwner, framesFor, perReader, rolesOf, type Subscription, wireMessages } from '#shared/realtime.ts';

const agent: ConnectionOwner = { kind: 'staff', sub: 'a1', roles: ['agent'] };
const lead: ConnectionOwner = { kind: 'staff', sub: 's1', roles: ['supervisor'] };
const marketer: ConnectionOwner = { kind: 'staff', sub: 'm1', roles: ['marketing'] };
const shopper: ConnectionOwner = { kind: 'visitor', contactId: 'ct_1', shopId: 'demo' };
const sock = (owner: ConnectionOwner, subscription?: Subscription): Pick<Connection, 'owner' | 'subscription'> => ({ owner, subscription });
const inbox = (...conversations: string[]): Subscription => ({ views: ['conversations', 'presence', 'tickets'], conversations });

/** The frames of one new message in cnv_1, built per audience as the chat announcement builds them. */
function messageEvent() {
  const text = (plain: boolean) => (plain ? '请回电 13912345678' : '请回电 139****5678');
  const message = perAudience((plain) => ({ type: 'message', conversationId: 'cnv_1', message: { text: text(plain) } }));
  const conversation = perAudience((plain) => ({ type: 'conversation', conversation: { conversationId: 'cnv_1', lastMessagePreview: text(plain) } }));
  return [perReader('message', (owner) => message(rolesOf(owner))), perReader('conversation', (owner) => conversation(rolesOf(owner)))];
}

describe('fan-out per socket', () => {
  it('a socket that never subscribed gets every frame its role admits, one wire message each (as before subscriptions)', () => {
    const frames = framesFor(sock(agent), messageEvent());
    expect(frames.map((f) => (f as { type: string }).type)).toEqual(['message', 'conversation']);
    expect(wireMessages(sock(agent), frames)).toHaveLength(2);
  });

  it('a console with the conversation open gets message and header in one batch, masked for its reader', () => {
    const forAgent = wireMessages(sock(agent, inbox('cnv_1')), framesFor(sock(agent, inbox('cnv_1')), messageEvent()));
    expect(forAgent).toHaveLength(1);
    expect(forAgent[0]).toMatchObject({ type: 'batch', frames: [{ type: 'message' }, { type: 'conversation' }] });
    expect(JSON.stringify(forAgent)).toContain('139****5678');
    expect(JSON.stringify(forAgent)).not.toContain('13912345678');
    expect(readsUnmaskedText(rolesOf(lead))).toBe(true);
    expect(JSON.stringify(framesFor(sock(lead, inbox('cnv_1')), messageEvent()))).toContain('13912345678');
  });

  it('a console without the conversation open gets only the inbox frame, not wrapped', () => {
    const frames = framesFor(sock(agent, inbox('cnv_other')), messageEvent());
    expect(frames).toEqual([{ type: 'conversation', conversation: { conversationId: 'cnv_1', lastMessagePreview: '请回电 139****5678' } }]);
    expect(wireMessages(sock(agent, inbox('cnv_other')), frames)).toEqual(frames);
  });

  it('views decide the inbox-level kinds; conversation-scoped kinds need the conversation open', () => {
    const ticketsOnly: Subscription = { views: ['tickets'], conversations: [] };
    expect(framesFor(sock(agent, ticketsOnly), messageEvent())).toEqual([]);
    expect(
      framesFor(sock(agent, ticketsOnly), [
        { type: 'ticket', ticket: {} },
        { type: 'presence', agentsOnline: 1 },
      ]),
    ).toEqual([{ type: 'ticket', ticket: {} }]);
    const typing = { type: 'typing', conversationId: 'cnv_1', from: 'visitor' };
    expect(framesFor(sock(agent, inbox()), [typing])).toEqual([]);
    expect(framesFor(sock(agent, inbox('cnv_1')), [typing])).toEqual([typing]);
  });

  it('a subscription never widens what the role may receive', () => {
    // Marketing may not read conversations over HTTP, so no subscription brings it their frames.
    expect(framesFor(sock(marketer, inbox('cnv_1')), messageEvent())).toEqual([]);
    expect(
      framesFor(sock(shopper, { views: ['conversations', 'presence', 'tickets', 'offers'], conversations: [] }), [{ type: 'ticket', ticket: {} }]),
    ).toEqual([]);
  });

  it('a shopper gets every frame of their own conversations (their topic holds nothing else) and the views they named', () => {
    const frames = [
      { type: 'message', conversationId: 'cnv_9', message: { text: 'hi' } },
      { type: 'conversation', conversation: { conversationId: 'cnv_9' } },
    ];
    const widget = sock(shopper, { views: ['conversations', 'offers'], conversations: [] });
    expect(wireMessages(widget, framesFor(widget, frames))).toEqual([{ type: 'batch', frames }]);
    const noInbox = sock(shopper, { views: ['offers'], conversations: [] });
    expect(framesFor(noInbox, [...frames, { type: 'survey', survey: {} }])).toEqual([frames[0], { type: 'survey', survey: {} }]);
  });
});
