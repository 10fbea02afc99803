import type { ComponentChildren } from 'preact';

/** One column of a DataTable: its header and how a row fills its cell. */
export interface Column<R> {
  key: string;
  header: ComponentChildren;
  cell: (row: R) => ComponentChildren;
  /** The cell that names the row (a `<th scope="row">`, read first by screen readers). */
  rowHeader?: boolean;
  class?: string;
}

/**
 * A plain, accessible table of rows: column headers with `scope`, an optional (visually hidden)
 * caption, the row-naming cell as a row header, and the empty text in place of an empty table.
 */
export function DataTable<R>(props: {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  caption?: string;
  empty?: ComponentChildren;
  class?: string;
  rowProps?: (row: R) => Record<string, unknown>;
}) {
  if (props.rows.length === 0 && props.empty !== undefined) return <p class="muted empty">{props.empty}</p>;
  return (
    <table class={`kb-table ${props.class ?? ''}`}>
      {props.caption && <caption class="sr-only">{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.key} scope="col" class={c.class}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} {...(props.rowProps?.(row) ?? {})}>
            {props.columns.map((c) =>
              c.rowHeader ? (
                <th key={c.key} scope="row" class={c.class}>
                  {c.cell(row)}
                </th>
              ) : (
                <td key={c.key} class={c.class}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
