/**
 * 质检 for supervisors: the review sample of the period (why each conversation was sampled, its
 * automatic flags, whether it is scored); a row opens the conversation's review
 * (`#/reports/inspection/{conversationId}`).
 */
import { useState } from 'preact/hooks';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, type Column, DataTable, SelectField, useResource } from '../kit/index.ts';
import type { InspectionSampleResponse, SampleEntry } from '../quality-state.ts';
import type { Filters } from './filters.tsx';
import { flagList, staffName } from './inspection-common.ts';
import { InspectionReview } from './inspection-review.tsx';

export function InspectionView(props: { api: StaffApi; filters: Filters; staff: StaffMember[]; itemId: string | undefined }) {
  if (props.itemId) return <InspectionReview api={props.api} conversationId={props.itemId} staff={props.staff} back="#/reports/inspection" />;
  return <SampleList {...props} />;
}

function SampleList(props: { api: StaffApi; filters: Filters; staff: StaffMember[] }) {
  const { t } = useI18n();
  const { from, to } = props.filters;
  const [show, setShow] = useState<'all' | 'pending'>('all');
  const sample = useResource(() => props.api.call<InspectionSampleResponse>(`/quality/inspection/sample?from=${from}&to=${to}`), [from, to]);
  const columns: Column<SampleEntry>[] = [
    { key: 'day', header: t('inspColDay'), cell: (e) => e.day },
    { key: 'agent', header: t('inspColAgent'), rowHeader: true, cell: (e) => staffName(props.staff, e.agent, t) },
    { key: 'reasons', header: t('inspColReasons'), cell: (e) => e.reasons.map((r) => t(`inspReason_${r}` as ConsoleKey)).join('、') },
    { key: 'flags', header: t('inspColFlags'), cell: (e) => flagList(e.flagKinds, t) },
    {
      key: 'status',
      header: t('inspColStatus'),
      cell: (e) => (e.review ? t('inspResult', { total: e.review.total, result: t(e.review.passed ? 'inspPassed' : 'inspFailed') }) : t('inspStatus_pending')),
    },
    {
      key: 'open',
      header: t('inspColOpen'),
      cell: (e) => (
        <a class="btn small" href={`#/reports/inspection/${encodeURIComponent(e.conversationId)}`}>
          {t(e.review ? 'inspView' : 'inspOpen')}
        </a>
      ),
    },
  ];
  return (
    <section class="inspection" aria-labelledby="inspection-heading">
      <h2 id="inspection-heading">{t('inspTitle')}</h2>
      <p class="muted small">{t('inspIntro')}</p>
      <div class="kb-filters">
        <SelectField
          id="inspection-show"
          label={t('inspShowOnly')}
          value={show}
          options={[
            { value: 'all', label: t('inspFilterAll') },
            { value: 'pending', label: t('inspFilterPending') },
          ]}
          onChange={(v) => setShow(v === 'pending' ? 'pending' : 'all')}
        />
        <button type="button" class="btn small" onClick={() => void sample.reload()}>
          {t('qRefresh')}
        </button>
      </div>
      <Async resource={sample}>
        {(data) => (
          <div class="table-scroll">
            <DataTable
              class="inspection-sample"
              caption={t('inspCaption', { from: data.from, to: data.to })}
              rows={data.items.filter((e) => show === 'all' || e.status === 'pending')}
              columns={columns}
              rowKey={(e) => e.conversationId}
              rowProps={(e) => ({ 'data-conversation': e.conversationId, 'data-status': e.status })}
              empty={t('inspEmpty')}
            />
          </div>
        )}
      </Async>
    </section>
  );
}
