// Rows of cells printed as an aligned text table (console) or a Markdown table (docs).

export type Row = string[];

export function textTable(header: Row, rows: Row[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (row: Row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** `numeric`: right-align every column but the first. */
export function markdownTable(header: Row, rows: Row[], numeric = true): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const line = (row: Row) => `| ${row.map(escape).join(" | ")} |`;
  const align = header.map((_, i) => (i === 0 || !numeric ? "---" : "---:"));
  return [line(header), `|${align.join("|")}|`, ...rows.map(line)].join("\n");
}
