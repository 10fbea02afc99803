/**
 * The console kit: what every screen needs once — loading data (`useResource`), its loading /
 * error / empty states (`<Async>`), tables (`<DataTable>`), labelled fields with server errors
 * (`<SelectField>`, `<TextField>`, `fieldHelpers`), the caret after inserted text (`useCaretAfterRender`), the one notice line (`<NoticeLine>`,
 * `failureNotice`), and bilingual text (`pickText`, `errorMessage`). See docs/web.md.
 */

export { Async, LoadError, Loading } from './async.tsx';
export { useCaretAfterRender } from './caret.ts';
export { type Column, DataTable } from './data-table.tsx';
export { type FieldHelpers, fieldHelpers, type Option, SelectField, TextField } from './form.tsx';
export { lazyPage } from './lazy.tsx';
export { carryNotice, failureNotice, type Notice, NoticeLine, takeNotice } from './notice.tsx';
export { type Paged, type PageOf, type Resource, usePagedResource, useResource } from './resource.ts';
export { type BilingualText, errorMessage, pickText } from './text.ts';
