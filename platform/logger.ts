// Structured JSON logs (pino) for every process; secrets are redacted by path.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-api-key"]', 'password', '*.password'], censor: '[redacted]' },
  });
}
