/**
 * The daemon's services in start order (spec §1: sequencer control, consensus, health monitor, RPC,
 * flashblocks relay, metrics server). Each entry is one line; the conductor's own services are added
 * here by the integrator as their modules land. Stop order is the reverse (see lifecycle.ts).
 */
import type { ConductorConfig } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { createMetricsServer } from '../metrics/server.ts';
import type { Service } from './lifecycle.ts';

export interface ServiceDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export async function buildServices(config: ConductorConfig, deps: ServiceDeps): Promise<Service[]> {
  const services: Service[] = [];
  if (config.metrics.enabled) {
    services.push(
      createMetricsServer({
        registry: deps.metrics.registry,
        host: config.metrics.addr,
        port: config.metrics.port,
        logger: deps.logger.child({ service: 'metrics' }),
      }),
    );
  }
  return services;
}
