/**
 * The console kit: what every screen needs once — loading data (`useResource`), its loading /
 * error / empty states (`<Async>`), tables (`<DataTable>`), labelled fields with server errors
 * (`<SelectField>`, `<TextField>`, `fieldHelpers`), the one notice line (`<NoticeLine>`,
 * `failureNotice`), and bilingual text (`pickText`, `errorMessage`). See docs/web.md.
 */
export { useResource, type Resource } from './resource.ts';
export { Async, Loading, LoadError } from './async.tsx';
export { lazyPage } from './lazy.tsx';
export { DataTable, type Column } from './data-table.tsx';
export { fieldHelpers, SelectField, TextField, type FieldHelpers, type Option } from './form.tsx';
export { carryNotice, failureNotice, NoticeLine, takeNotice, type Notice } from './notice.tsx';
export { errorMessage, pickText, type BilingualText } from './text.ts';
