/**
 * Column alignment as Go's text/tabwriter does it, so berth's tables and descriptions line up
 * exactly as kubectl's: text holds cells ended by tabs; consecutive lines that have a cell in the
 * same column form a block, aligned to its widest cell plus padding (at least `minWidth`); the
 * last cell of a line is never padded.
 *
 *   kubectl get       minWidth 6, padding 3, remembering widths across flushes (watch rows keep
 *                     the columns of the table printed before them; a wider cell widens them)
 *   kubectl describe  minWidth 0, padding 2
 */

export interface TabWriterOptions {
  minWidth: number;
  padding: number;
  /** Keep each column's width from one flush to the next, widening it when needed. */
  rememberWidths?: boolean;
}

export const getTableOptions: TabWriterOptions = { minWidth: 6, padding: 3, rememberWidths: true };
export const describeOptions: TabWriterOptions = { minWidth: 0, padding: 2 };

/** The width of a cell as a terminal shows it: characters, not UTF-16 units. */
const textWidth = (text: string): number => [...text].length;

export class TabWriter {
  private buffer = '';
  private readonly remembered: number[] = [];

  constructor(private readonly options: TabWriterOptions) {}

  write(text: string): void {
    this.buffer += text;
  }

  /** Aligns and returns everything written since the last flush. */
  flush(): string {
    const text = this.buffer;
    this.buffer = '';
    if (text === '') return '';
    const endsWithNewline = text.endsWith('\n');
    const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
    const out: string[] = [];
    this.format(lines, 0, lines.length, [], out);
    return out.join('\n') + (endsWithNewline ? '\n' : '');
  }

  /** Go's tabwriter `format`: finds the blocks of column `widths.length` in lines [from, to) and recurses. */
  private format(lines: string[][], from: number, to: number, widths: number[], out: string[]): void {
    const column = widths.length;
    let start = from;
    for (let line = from; line < to; line++) {
      if (column >= lines[line].length - 1) continue;
      this.writeLines(lines, start, line, widths, out);
      start = line;
      let width = this.options.minWidth;
      for (; line < to && column < lines[line].length - 1; line++) {
        width = Math.max(width, textWidth(lines[line][column]) + this.options.padding);
      }
      if (this.options.rememberWidths) {
        if (this.remembered.length <= column) this.remembered.length = column + 1;
        width = Math.max(width, this.remembered[column] ?? 0);
        this.remembered[column] = width;
      }
      this.format(lines, start, line, [...widths, width], out);
      start = line;
      line--;
    }
    this.writeLines(lines, start, to, widths, out);
  }

  private writeLines(lines: string[][], from: number, to: number, widths: number[], out: string[]): void {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let text = '';
      cells.forEach((cell, j) => {
        text += cell;
        if (j < widths.length && j < cells.length - 1) text += ' '.repeat(Math.max(0, widths[j] - textWidth(cell)));
      });
      out.push(text);
    }
  }
}

/** Aligns tab-separated text in one go. */
export function alignColumns(text: string, options: TabWriterOptions): string {
  const writer = new TabWriter(options);
  writer.write(text);
  return writer.flush();
}
