// Every setting the processes read, parsed once from the environment with zod.
// README.md's configuration table lists the same variables; keep them in step.
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().min(1),
  REDIS_URL: z.string().min(1),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('collections'),
  TEMPORAL_UI_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  LOGIN_RATE_LIMIT_PER_15_MIN: z.coerce.number().int().positive().default(20),
  EMAIL_PROVIDER: z.enum(['outbox', 'sendgrid']).default('outbox'),
  SMS_PROVIDER: z.enum(['outbox', 'twilio']).default('outbox'),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_API_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().default('collections@example.com'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_API_URL: z.string().url().optional(),
  SMS_FROM: z.string().default('+15005550006'),
  EMAIL_RATE_PER_SECOND: z.coerce.number().int().positive().default(50),
  SMS_RATE_PER_SECOND: z.coerce.number().int().positive().default(10),
  LETTER_RATE_PER_SECOND: z.coerce.number().int().positive().default(5),
  UI_BUILD_DIR: z.string().optional(),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(100),
  IMPORT_START_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(32),
  WEBHOOK_SIGNING_SECRET: z.string().min(16).default('arrears-development-webhook-secret'),
  /** Printed on receipts and in messages to customers. */
  COMPANY_NAME: z.string().min(1).default('Arrears Demo Telecom'),
  /** `sandbox`: the local card processor (served at /sandbox/card-processor); `none`: cards wait on the phones. */
  CARD_PROCESSOR: z.enum(['sandbox', 'none']).default('sandbox'),
  CARD_PROCESSOR_URL: z.string().url().optional(),
  CARD_PROCESSOR_SECRET_KEY: z.string().min(8).default('sk_sandbox_arrears_development'),
  /** Where the sandbox processor keeps its RSA key (so cards encrypted before a restart still decrypt). */
  CARD_SANDBOX_KEY_FILE: z.string().optional(),
  /** Map tiles for the route maps (Leaflet URL template), e.g. your own tile server; its origin is allowed by the CSP. */
  MAP_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
  /** Years the collection record is kept after an account's last case closes, before its personal data is pseudonymised (X1: at least 3). */
  RETENTION_YEARS: z.coerce.number().int().min(3, 'records are kept at least 3 years (Reg F §1006.100)').max(30).default(3),
  /** How often the retention job looks for records past retention (hours). */
  RETENTION_JOB_EVERY_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(24),
  /** How often accounts are re-segmented for days past due (S1, E4; services/resegmentation.ts). */
  RESEGMENT_EVERY_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(24),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.WEBHOOK_SIGNING_SECRET === 'arrears-development-webhook-secret') {
    throw new Error('invalid configuration:\n  WEBHOOK_SIGNING_SECRET: set a secret of your own in production');
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.CARD_PROCESSOR === 'sandbox') {
    throw new Error('invalid configuration:\n  CARD_PROCESSOR: the sandbox takes no real cards; configure your processor or set none');
  }
  return parsed.data;
}
