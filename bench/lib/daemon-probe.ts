/**
 * Reads a running conductor process from the outside: its Prometheus metrics (prom-client text format) and
 * /proc/<pid>/status memory lines, plus the bytes its data directory holds.
 * Invariants: read-only; every scrape has a timeout; a missing sample is NaN, never 0.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SCRAPE_TIMEOUT_MS = 3_000;

export type MetricSamples = ReadonlyMap<string, number>;

/** Scrapes `http://host:port/metrics` into "name{labels}" → value. */
export async function scrapeMetrics(host: string, port: number): Promise<MetricSamples> {
  const res = await fetch(`http://${host}:${port}/metrics`, {
    signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
  });
  const text = await res.text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

export function metric(samples: MetricSamples, name: string): number {
  return samples.get(name) ?? Number.NaN;
}

/** Mean of a histogram between two scrapes, in milliseconds (`name` without the _sum/_count suffix). */
export function histogramMeanMs(before: MetricSamples, after: MetricSamples, name: string): number {
  const sum = metric(after, `${name}_sum`) - metric(before, `${name}_sum`);
  const count = metric(after, `${name}_count`) - metric(before, `${name}_count`);
  return count > 0 ? (sum / count) * 1000 : Number.NaN;
}

/** Bytes the files under `dir` occupy on disk (allocated blocks, so preallocated segments count in full). */
export function diskBytesHeld(dir: string): number {
  let total = 0;
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      try {
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else total += st.blocks * 512;
      } catch {
        // removed while walking (compaction): not held any more
      }
    }
  };
  walk(dir);
  return total;
}
