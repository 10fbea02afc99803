/** Marketing › segments: the list, each opening its editor. */
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, useResource } from '../kit/index.ts';
import { day } from '../labels.ts';
import type { Segment } from '../marketing-state.ts';

export function SegmentList(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const segments = useResource(() => props.api.call<{ items: Segment[] }>('/segments').then((r) => r.items), [props.api]);
  return (
    <>
      <div class="kb-head">
        <h2>{t('mSegments')}</h2>
        <a class="btn primary" href="#/campaigns/segments/new">
          {t('mNewSegment')}
        </a>
      </div>
      <p class="muted small">{t('mSegmentsIntro')}</p>
      <Async resource={segments} isEmpty={(items) => items.length === 0} empty={t('mNoSegments')}>
        {(items) => (
          <DataTable<Segment>
            caption={t('mSegments')}
            rows={items}
            rowKey={(s) => s.segmentId}
            columns={[
              {
                key: 'name',
                header: t('setName'),
                rowHeader: true,
                cell: (s) => (
                  <>
                    <a href={`#/campaigns/segments/${encodeURIComponent(s.segmentId)}`}>{s.name}</a>
                    <div class="muted small mono">{s.segmentId}</div>
                  </>
                ),
              },
              { key: 'version', header: t('kbVersion'), cell: (s) => s.version },
              { key: 'updated', header: t('kbUpdated'), cell: (s) => day(s.updatedAt, locale) },
            ]}
          />
        )}
      </Async>
    </>
  );
}
