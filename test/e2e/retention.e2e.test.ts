import { readFile } from 'node:fs/promises';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import { encodeHistory } from '#shared/churn/history.ts';
import { keys } from '#shared/store/keys.ts';
import { memberItem } from '../../bench/campaign-fanout.ts';
import { syntheticShop } from '../../bench/churn-fit.ts';
import { until } from '../support/until.ts';
import { axeViolations, type E2E, signedInConsole, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
const N = 800;

// Precondition through the table and the daily job: members whose purchase histories the rescore
// stored, then the daily churn run (walk, refit, cohorts) as the scheduler runs it.
useE2E(
  (started) => (e2e = started),
  async (started) => {
    process.env.KEFU_CHURN_MIN_REPEATERS = '150';
    const today = Math.floor(Date.now() / 86_400_000);
    const now = new Date();
    const items = syntheticShop(N, 540, 21, today - 540).map((h, i) => ({
      ...memberItem({ contactId: `con_e2e_ret_${h.id}`, tierId: 'bronze', orderCount: h.days.length }, now),
      churnHistory: encodeHistory(h.days, h.amounts),
      ...(i % 5 === 0 ? { churnLevel: 'high', churnRisk: 0.8, churnReasonCodes: ['long_since_last_purchase'] } : {}),
      // The counted service signals the rescore keeps: 80 of the 160 high-risk members had SLA breaches.
      ...(i % 10 === 0 ? { churnSignals: { slaBreaches: 2 } } : {}),
    }));
    for (let i = 0; i < items.length; i += 25)
      await started.stack.db.send(new BatchWriteCommand({ RequestItems: { Kefu: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    await started.stack.scheduler.runNow('churn-daily');
    await until(async () => (await started.stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.churnModel(), ConsistentRead: true }))).Item, {
      what: 'the daily churn run to store the model card',
    });
  },
);

describe('retention view in Chinese', { timeout: TEST_MS }, () => {
  test('a marketer opens 留存 and sees the model card, the calibration chart and the cohort table, and exports it', async () => {
    const page = await signedInConsole(e2e, 'marketing@demo.kefu');
    await page.locator('.topbar button[lang="zh-CN"]').click();
    await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
    await page.goto(`${e2e.stack.urls.console}#/campaigns`);
    await page.getByRole('link', { name: '留存', exact: true }).click();
    await page.getByRole('heading', { name: '流失模型' }).waitFor();

    const card = page.locator('.retention-card');
    await expect.poll(() => card.getAttribute('data-model')).not.toBeNull();
    await expect(card.locator('dt', { hasText: '当前模型' }).count()).resolves.toBe(1);
    const active = (await card.locator('[data-active-model]').textContent()) ?? '';
    expect(active).toMatch(/[\u4e00-\u9fff]/);
    expect(Number(await card.locator('[data-auc]').textContent())).toBeGreaterThan(0.5);
    expect(await card.locator('[data-customers]').textContent()).toBe(N.toLocaleString('zh-CN'));
    await card.getByRole('figure', { name: '按十分位的校准：预测流失率与实际流失率' }).waitFor();
    await card.getByRole('cell', { name: '使用中' }).or(card.getByText('使用中')).first().waitFor();

    await page.getByRole('heading', { name: '同期群留存' }).waitFor();
    const table = page.locator('table.cohort-table');
    await table.getByRole('columnheader', { name: '首单月份' }).waitFor();
    await table.getByRole('columnheader', { name: '第 1 月' }).waitFor();
    expect(Number(await table.getAttribute('data-cohorts'))).toBeGreaterThan(6);
    expect(await table.locator('tbody tr').count()).toBe(Number(await table.getAttribute('data-cohorts')));
    expect(await page.locator('[data-repurchase]').textContent()).toMatch(/^全部顾客复购率：\d/);

    await page.getByRole('heading', { name: '本月流失原因' }).waitFor();
    await page.getByRole('rowheader', { name: '距上次购买时间久' }).waitFor();

    await page.getByRole('figure', { name: '留存曲线：首单后各月再次购买的比例' }).waitFor();
    const service = page.locator('section.retention-service');
    await service.getByRole('heading', { name: '有服务问题的会员 vs 没有' }).waitFor();
    // 80 members with SLA breaches, all at high risk; 720 without service problems, 80 of them at risk.
    expect(await service.locator('[data-service-reading]').textContent()).toBe('SLA 超时的会员中 100% 有流失风险，没有服务问题的会员为 11.1%。');
    const slaRow = service.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '有 SLA 超时', exact: true }) });
    await expect.poll(() => slaRow.getByRole('cell').allTextContents()).toEqual(['80', '80', '100%']);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^kefu-cohort-retention-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await file.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^cohort,customers,repurchase_rate,month_1/);
    expect(csv.trim().split('\n')).toHaveLength(Number(await table.getAttribute('data-cohorts')) + 1);

    expect(await axeViolations(page)).toEqual([]);
    delete process.env.KEFU_CHURN_MIN_REPEATERS;
  });
});
