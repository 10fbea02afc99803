/** The top bar's alert controls: the chime on or off (an SVG bell), and asking for desktop notifications. */
import { useState } from 'preact/hooks';
import { chime, setSound, soundOn } from './attention.ts';
import { useI18n } from './i18n.ts';

function Bell(props: { muted: boolean }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      {props.muted && <path d="M2 2l20 20" />}
    </svg>
  );
}

export function AlertsButton() {
  const { t } = useI18n();
  const [on, setOn] = useState(soundOn());
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'denied' : Notification.permission);
  const toggle = () => {
    setSound(!on);
    setOn(!on);
    if (!on) chime();
  };
  const ask = () => {
    void Notification.requestPermission().then(setPermission, () => setPermission('denied'));
  };
  return (
    <>
      <button
        type="button"
        class="btn ghost icon"
        aria-pressed={on}
        aria-label={t(on ? 'soundOn' : 'soundOff')}
        title={t(on ? 'soundOn' : 'soundOff')}
        onClick={toggle}
      >
        <Bell muted={!on} />
      </button>
      {permission === 'default' && (
        <button type="button" class="btn ghost small" onClick={ask}>
          {t('notifyEnable')}
        </button>
      )}
    </>
  );
}
