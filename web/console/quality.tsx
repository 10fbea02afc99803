/**
 * Reports (its own chunk): the screens live in ./quality/ — the page and its views (dashboard,
 * per-agent performance, daily digest), the drill-down and the detractor follow-ups.
 */
export { QualityPage } from './quality/page.tsx';
