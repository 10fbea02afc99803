/**
 * 我的质检: the caller's conversations a supervisor scored (score, pass or not, their answer); a row
 * opens the review, where they acknowledge or appeal it (`#/reports/mine/{conversationId}`).
 */
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, type Column, DataTable, useResource } from '../kit/index.ts';
import type { InspectionMineResponse, SampleEntry } from '../quality-state.ts';
import { flagList } from './inspection-common.ts';
import { answerText, InspectionReview } from './inspection-review.tsx';

export function MyInspections(props: { api: StaffApi; staff: StaffMember[]; itemId: string | undefined }) {
  if (props.itemId) return <InspectionReview api={props.api} conversationId={props.itemId} staff={props.staff} back="#/reports/mine" />;
  return <MineList api={props.api} />;
}

function MineList(props: { api: StaffApi }) {
  const { t } = useI18n();
  const mine = useResource(() => props.api.call<InspectionMineResponse>('/quality/inspection/mine'), []);
  const columns: Column<SampleEntry>[] = [
    { key: 'day', header: t('inspColDay'), rowHeader: true, cell: (e) => e.day },
    { key: 'flags', header: t('inspColFlags'), cell: (e) => flagList(e.flagKinds, t) },
    {
      key: 'total',
      header: t('inspColTotal'),
      class: 'num',
      cell: (e) => (e.review ? t('inspResult', { total: e.review.total, result: t(e.review.passed ? 'inspPassed' : 'inspFailed') }) : '–'),
    },
    { key: 'answer', header: t('inspColAnswer'), cell: (e) => answerText(e, t) },
    {
      key: 'open',
      header: t('inspColOpen'),
      cell: (e) => (
        <a class="btn small" href={`#/reports/mine/${encodeURIComponent(e.conversationId)}`}>
          {t('inspView')}
        </a>
      ),
    },
  ];
  return (
    <section class="inspection-mine" aria-labelledby="mine-heading">
      <h2 id="mine-heading">{t('inspTabMine')}</h2>
      <p class="muted small">{t('inspMineIntro')}</p>
      <Async resource={mine}>
        {(data) => (
          <div class="table-scroll">
            <DataTable
              class="inspection-sample"
              caption={t('inspTabMine')}
              rows={data.items}
              columns={columns}
              rowKey={(e) => e.conversationId}
              rowProps={(e) => ({ 'data-conversation': e.conversationId })}
              empty={t('inspMineEmpty')}
            />
          </div>
        )}
      </Async>
    </section>
  );
}
