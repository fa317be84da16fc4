/**
 * Reads one line from a stream (TTY or pipe) for confirmation prompts of the operator tools (ctl, init).
 * Resolves undefined on EOF or after `timeoutMs`, so an unattended prompt never hangs.
 */
import { createInterface } from 'node:readline';

export function readLine(input: NodeJS.ReadableStream, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      rl.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    rl.once('line', (l) => finish(l));
    rl.once('close', () => finish(undefined));
  });
}
