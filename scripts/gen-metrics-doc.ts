// Writes docs/metrics.md from src/metrics/metrics.ts (via src/metrics/doc.ts).
// Usage: node --import tsx scripts/gen-metrics-doc.ts
import { writeFileSync } from 'node:fs';
import { renderMetricsDoc } from '../src/metrics/doc.ts';

writeFileSync(new URL('../docs/metrics.md', import.meta.url), renderMetricsDoc());
