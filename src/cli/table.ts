// Go's text/tabwriter as docker configures it (minwidth 10, padding 3, spaces): tab-terminated cells are
// padded to their column's width; the last cell of a line is written as is.

const width = (s: string) => [...s].length;

export function alignColumns(lines: string[], { minWidth = 10, padding = 3 } = {}): string[] {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const cells of rows) {
    cells.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? minWidth, width(c) + padding)));
  }
  return rows.map((cells) => cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(widths[i] - width(c)) : c)).join(''));
}
