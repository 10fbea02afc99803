/**
 * Cost of the automatic quality inspection (质检) per agent reply, next to the reply path without
 * it, measured in the same run on the local runtime (dynalite):
 * - the reply path (`staffSend`: append, announce, quality hook) with the inspection mark (one
 *   PutItem) and without it (`inspectionMarks.on = false`), alternating reply by reply so drift cancels;
 * - the sweep that does the checks off the reply path: wall time and reads per reply inspected;
 * - the pure checks alone (CPU per reply, in memory).
 *
 *   npm run bench -- inspection
 */

import { demoSub } from '#infra/local/seed.ts';
import { startLocalStack } from '#infra/local/stack.ts';
import type { StaffCaller } from '#shared/auth/caller.ts';
import { staffSend } from '#shared/chat/service.ts';
import { inspectConversation } from '#shared/quality/inspection.ts';
import { runInspectionSweep } from '#shared/quality/inspection-jobs.ts';
import { DEFAULT_SETTINGS } from '#shared/quality/inspection-model.ts';
import { inspectionMarks } from '#shared/quality/inspection-store.ts';
import { listMessages } from '#shared/store/conversations.ts';
import { apiClient } from '../test/support/api.ts';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PURE_RUNS = 2000;

const REPLIES = [
  '您好，这件有现货，今天下单今天发。',
  '亲，尺码偏大，建议拍小一码哦。',
  '好的，已经为您备注加急发货。',
  '还有其他可以帮您的吗？祝您生活愉快！',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runInspectionBench() {
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  try {
    const api = apiClient(stack.urls.api);
    const caller: StaffCaller = { kind: 'staff', sub: demoSub('agent@demo.kefu'), email: 'agent@demo.kefu', name: 'Li Na', roles: ['agent'] };
    const ids: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const v = await api.visitor();
      const res = await api.call('POST', '/widget/conversations', {
        token: v.token,
        body: { clientMessageId: `bench-insp-${i}-${Date.now()}`, text: '请问这件有M码吗？多少钱' },
      });
      ids.push(res.json.conversation.conversationId);
    }
    await stack.quiesce();

    const perReply: Record<'with' | 'without', number[]> = { with: [], without: [] };
    const cpu: Record<'with' | 'without', number> = { with: 0, without: 0 };
    // a warm-up round (not counted), then replies alternate with / without the mark within each
    // round (the parity flips every round), so thread growth and JIT warm-up fall on both sides
    for (const id of ids) await staffSend(caller, id, { text: REPLIES[0]! }, new Date());
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, id] of ids.entries()) {
        const side = (i + round) % 2 === 0 ? 'with' : 'without';
        inspectionMarks.on = side === 'with';
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await staffSend(caller, id, { text: REPLIES[round % REPLIES.length] }, new Date());
        perReply[side].push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[side] += (c.user + c.system) / 1000;
      }
    }
    inspectionMarks.on = true;
    await stack.quiesce();

    const marked = perReply.with.length + CONVERSATIONS;
    const s0 = performance.now();
    const c0 = process.cpuUsage();
    let inspected = 0;
    for (;;) {
      const run = await runInspectionSweep(new Date());
      inspected += run.inspected;
      if (run.inspected === 0) break;
    }
    const sweepMs = performance.now() - s0;
    const sweepCpu = process.cpuUsage(c0);
    const repliesInspected = inspected * (ROUNDS + 1); // every conversation holds one reply per round and the warm-up's

    const thread = (await listMessages(ids[0]!, { limit: 300, includeInternal: false })).items;
    const p0 = performance.now();
    for (let i = 0; i < PURE_RUNS; i++) {
      inspectConversation({
        conversation: { conversationId: ids[0]!, status: 'resolved' },
        messages: thread,
        settings: DEFAULT_SETTINGS,
        refs: { macros: [], articles: [] },
      });
    }
    const pureMs = (performance.now() - p0) / PURE_RUNS;
    const agentReplies = thread.filter((m) => m.author.kind === 'agent').length;

    const result = {
      conversations: CONVERSATIONS,
      rounds: ROUNDS,
      replyPath: {
        withMarkMedianMs: median(perReply.with),
        withoutMarkMedianMs: median(perReply.without),
        withMarkCpuMsPerReply: cpu.with / perReply.with.length,
        withoutMarkCpuMsPerReply: cpu.without / perReply.without.length,
      },
      sweep: {
        marksWritten: marked,
        conversationsInspected: inspected,
        repliesInspected,
        wallMsPerReply: sweepMs / Math.max(1, repliesInspected),
        cpuMsPerReply: (sweepCpu.user + sweepCpu.system) / 1000 / Math.max(1, repliesInspected),
      },
      pureChecksCpuMsPerReply: pureMs / Math.max(1, agentReplies),
    };
    const f = (n: number) => n.toFixed(2);
    const r = result.replyPath;
    console.log(`\ninspection (质检): ${CONVERSATIONS} conversations × ${ROUNDS} reply rounds, local dynalite (replies alternate with / without the mark)`);
    console.log(`  reply path without inspection   median ${f(r.withoutMarkMedianMs)} ms, CPU ${f(r.withoutMarkCpuMsPerReply)} ms per reply`);
    console.log(`  reply path with the mark         median ${f(r.withMarkMedianMs)} ms, CPU ${f(r.withMarkCpuMsPerReply)} ms per reply (one PutItem)`);
    console.log(
      `  added to the reply path          ${f(r.withMarkMedianMs - r.withoutMarkMedianMs)} ms median (${f(((r.withMarkMedianMs - r.withoutMarkMedianMs) / r.withoutMarkMedianMs) * 100)} %)`,
    );
    console.log(
      `  the checks, off the reply path   sweep ${f(result.sweep.wallMsPerReply)} ms and ${f(result.sweep.cpuMsPerReply)} ms CPU per reply inspected (${inspected} conversations, thread re-read each)`,
    );
    console.log(
      `  pure checks alone                ${f(result.pureChecksCpuMsPerReply)} ms per reply (sentiment model included; ${agentReplies} replies/thread)`,
    );
    return result;
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runInspectionBench();
