// --format for lists and objects, like docker's formatter: "table" (default columns), "table TEMPLATE",
// "json" (one JSON object per line), or a Go template per item. Literal \t and \n in formats are tabs and newlines.
import { alignColumns } from './table.js';
import { parseTemplate } from './template.js';

export interface ListFormat {
  /** The default table template, e.g. "table {{.ID}}\t{{.Image}}". */
  table: string;
  /** Column headers by field name, e.g. { ID: 'CONTAINER ID' }; a method's header may depend on its argument. */
  headers: Record<string, string | ((arg: string) => string)>;
}

const unescape = (s: string) => s.replace(/\\t/g, '\t').replace(/\\n/g, '\n');

/** Renders `items` per `format` (undefined or "" or "table": the default table). */
export function formatList(items: unknown[], format: string | undefined, spec: ListFormat): string {
  let f = (format ?? '').trim() || 'table';
  if (f === 'table') f = spec.table;
  if (f === 'json') f = '{{json .}}';
  const isTable = f.startsWith('table');
  const tmpl = parseTemplate(unescape(isTable ? f.slice('table'.length).trim() : f));
  if (!isTable) return items.map((item) => `${tmpl(item)}\n`).join('');
  const header = new Proxy(spec.headers, { get: (h, key) => (typeof key === 'string' ? (h[key] ?? '') : undefined) });
  const lines = [header, ...items].flatMap((item) => tmpl(item).split('\n'));
  return alignColumns(lines).map((l) => `${l}\n`).join('');
}

/** `--format` applied to single objects (inspect, version, info): "json" or a template, one line each. */
export function formatObjects(items: unknown[], format: string): string {
  const f = format.trim() === 'json' ? '{{json .}}' : unescape(format);
  const tmpl = parseTemplate(f);
  return items.map((item) => `${tmpl(item)}\n`).join('');
}
