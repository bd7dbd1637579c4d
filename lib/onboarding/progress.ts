/**
 * Progress for long steps: a spinner line rewritten in place on a terminal, plain "… done" lines
 * otherwise (CI logs, pipes, tests). Hand-written rather than a spinner package: it is a dozen
 * lines, and the plain mode must be byte-for-byte predictable for tests and CI logs.
 */
export interface Progress {
  /** Runs `work` as a named step; the detail is shown when it ends (`ok: false` marks a step that found problems). */
  step<T>(label: string, work: () => Promise<T>, detail?: (result: T) => string | { text: string; ok: boolean }): Promise<T>;
  line(text: string): void;
}

export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  intervalMs?: number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(options: ProgressOptions): Progress {
  const { write, tty } = options;
  return {
    line: (text) => write(`${text}\n`),
    async step(label, work, detail) {
      const started = Date.now();
      let timer: ReturnType<typeof setInterval> | undefined;
      if (tty) {
        let frame = 0;
        write(`${FRAMES[0]} ${label}`);
        timer = setInterval(() => write(`\r${FRAMES[++frame % FRAMES.length]} ${label}`), options.intervalMs ?? 80);
        timer.unref?.();
      } else {
        write(`… ${label}\n`);
      }
      const end = (mark: string, text: string) => {
        if (timer) clearInterval(timer);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        write(`${tty ? '\r\x1b[2K' : ''}${mark} ${label}${text ? `: ${text}` : ''} (${seconds} s)\n`);
      };
      try {
        const result = await work();
        const shown = detail ? detail(result) : '';
        if (typeof shown === 'string') end('✓', shown);
        else end(shown.ok ? '✓' : '✗', shown.text);
        return result;
      } catch (error) {
        end('✗', (error as Error).message);
        throw error;
      }
    },
  };
}

/** A plain text table with padded columns (the final summary). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
