import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../config/logger.js';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal SDK's logs (worker, workflow and activity loggers) into our pino logger, and
 * leaves signal handling to the process: each entry point decides the shutdown order. With
 * `metricsPort` the SDK's runtime metrics (workflow task latencies, slots, sticky cache, polls)
 * are served in Prometheus format on 127.0.0.1 at that port, for the process's /metrics to append.
 */
export function installTemporalLogging(logger: Logger, metricsPort?: number): void {
  const level = logger.level === 'silent' ? 'ERROR' : (logger.level.toUpperCase() as LogLevel);
  Runtime.install({
    shutdownSignals: [],
    ...(metricsPort
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } }
      : {}),
    logger: new DefaultLogger(level in LEVELS ? level : 'INFO', (entry) => {
      logger[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
