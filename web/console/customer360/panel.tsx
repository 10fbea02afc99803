/**
 * The customer 360 panel (its own chunk, see ../customer360.tsx): membership and orders, churn
 * risk with its reasons, labels, the points ledger with the adjustment form (supervisors and
 * admins) and the privacy actions (admins). What a role may do follows the manifest's route roles.
 */
import '../i18n-c360.ts';
import type { StaffApi, StaffMe } from '../auth.ts';
import type { Customer360, PanelProps } from '../customer360.tsx';
import { useI18n } from '../i18n.ts';
import { Async, useResource } from '../kit/index.ts';
import { ChurnSection } from './churn.tsx';
import { ContactInfo, type ContactProfile } from './contact-info.tsx';
import { LabelsEditor } from './labels-editor.tsx';
import { PointsSection } from './points.tsx';
import { PrivacyActions } from './privacy.tsx';
import { ShipmentsSection } from './shipments.tsx';
import { MembershipSummary } from './summary.tsx';

/** The caller's roles, read once per session (the panel may be mounted many times). */
const rolesOf = new WeakMap<StaffApi, Promise<readonly string[]>>();
function myRoles(api: StaffApi): Promise<readonly string[]> {
  let roles = rolesOf.get(api);
  if (!roles) {
    roles = api.call<StaffMe>('/staff/me').then((me) => me.roles);
    roles.catch(() => rolesOf.delete(api));
    rolesOf.set(api, roles);
  }
  return roles;
}

/** The caller may adjust points and reveal masked contact details (the manifest's SUPERVISORS) or export and erase (ADMINS). */
export interface Permissions {
  adjustPoints: boolean;
  reveal: boolean;
  privacy: boolean;
}

export function CustomerPanelView(props: PanelProps) {
  const { t } = useI18n();
  const contact = useResource(() => props.load(props.api, props.contactId), [props.contactId]);
  const roles = useResource(() => myRoles(props.api), [props.api]);
  const has = (...wanted: string[]) => wanted.some((r) => roles.data?.includes(r));
  const can: Permissions = { adjustPoints: has('supervisor', 'admin'), reveal: has('supervisor', 'admin'), privacy: has('admin') };
  const refresh = () => props.load(props.api, props.contactId, true).then(contact.set, () => contact.reload());

  return (
    <section class="c360" aria-labelledby="c360-heading">
      <h3 id="c360-heading">{t('c360')}</h3>
      <Async resource={contact}>
        {(data: Customer360) => (
          <>
            <ContactInfo
              api={props.api}
              contactId={props.contactId}
              profile={data.profile as ContactProfile}
              masked={(data as { masked?: string[] }).masked ?? []}
              canReveal={can.reveal}
            />
            <ChurnSection churn={data.churn} />
            <LabelsEditor api={props.api} contactId={props.contactId} labels={data.labels} version={data.labelsVersion} onSaved={() => void refresh()} />
            <MembershipSummary data={data} />
            <ShipmentsSection api={props.api} contactId={props.contactId} />
            <PointsSection api={props.api} contactId={props.contactId} canAdjust={can.adjustPoints} onAdjusted={() => void refresh()} />
            {can.privacy && <PrivacyActions api={props.api} contactId={props.contactId} />}
          </>
        )}
      </Async>
    </section>
  );
}
