import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './index.js';

/** Query parameters that carry secrets (SF's route-push token, platforms' access tokens, signatures). */
const SECRET_PARAMS =
  /^(token|access_token|refresh_token|sign|signature|hmac|secret|key|app_secret|password)$/i;

/** A URL as it may be logged: secret query parameters' values replaced, the rest kept for debugging. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      return SECRET_PARAMS.test(name) && eq >= 0 ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** One pino logger per process; pretty output when a person is watching a terminal. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  name = 'order-erp',
  /** Where the lines go (tests read them); stdout by default. */
  destination?: DestinationStream,
): Logger {
  const pretty = !destination && config.NODE_ENV === 'development' && process.stdout.isTTY;
  const options: LoggerOptions = {
    name,
    level: config.LOG_LEVEL,
    // Tokens in URLs (SF pushes to …?token=) never reach the logs.
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url === undefined ? undefined : redactUrl(req.url),
        hostname: req.hostname,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
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
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
