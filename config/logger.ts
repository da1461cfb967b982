import { pino, type Logger } from 'pino';
import type { Config } from './index.js';

/** One pino logger per process; pretty output when a person is watching a terminal. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, name = 'order-erp'): Logger {
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY;
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: ['*.receiver', '*.phone', 'req.headers.authorization', 'req.headers["x-api-key"]'],
      remove: true,
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}

export type { Logger };
