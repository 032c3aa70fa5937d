import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  return value;
};
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * The one typed configuration of the service. Every variable is documented in `.env.example`.
 * Code reads this object, never `process.env`.
 */
export class AppConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Trust X-Forwarded-For (set when the API runs behind a reverse proxy): client addresses for rate limits. */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /** The owner connection: migrations run with it; the app switches to DB_APP_ROLE on every connection. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bum';

  /** The restricted role the API and worker act as (SET ROLE on connect). Empty: the URL's own role. */
  @Matches(/^([a-z_][a-z0-9_]*)?$/, { message: 'DB_APP_ROLE must be an SQL identifier (lower case) or empty' })
  DB_APP_ROLE = 'bum_app';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_CONNECT_TIMEOUT_MS = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 15000;

  /** Creates the database named in DATABASE_URL when it is missing (`npm start` on a fresh machine). */
  @Transform(toBool)
  @IsBoolean()
  DB_CREATE_IF_MISSING = true;

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATE_ON_START = true;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every BullMQ and rate-limit key, so that several installations can share one Redis. */
  @Matches(/^[a-zA-Z0-9_-]+$/, { message: 'REDIS_PREFIX may only hold letters, digits, _ and -' })
  REDIS_PREFIX = 'bum';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY = false;

  /** HMAC secret of the built-in token issuer (demo, tests, small installations). */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET = 'development-only-secret-change-me-0123456789';

  @IsString()
  JWT_ISSUER = 'urn:bum:built-in';

  @IsString()
  JWT_AUDIENCE = 'bum-api';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_TTL_SECONDS = 900;

  /** An external OpenID Connect issuer (the municipality's identity broker). Empty: not used. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  OIDC_JWKS_URI?: string;

  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  @Transform(toList)
  @IsIn(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'], { each: true })
  OIDC_ALGORITHMS: string[] = ['RS256', 'ES256', 'PS256'];

  /** The token claim matched against a user's externalSubject. */
  @IsString()
  OIDC_SUBJECT_CLAIM = 'sub';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_HOURS = 24;

  /** Requests per minute per client on the whole API. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Log-in attempts per minute per client address. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_MINUTE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1048576;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCESS_LOG_RETENTION_MONTHS = 6;

  /** Days an institution's staff still see a citizen after the citizen's order there ended or was rejected. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  INSTITUTION_ACCESS_DAYS_AFTER_END = 30;

  /** AES-256-GCM key that encrypts CPR numbers at rest: 32 bytes, base64. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'CPR_ENCRYPTION_KEY must be 32 bytes, base64-encoded (44 characters)' })
  CPR_ENCRYPTION_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1jcHIta2V5LWNoYW5nZSE=';

  /** HMAC-SHA256 key of the CPR search hash (exact-match look-up without decrypting): at least 32 characters. */
  @IsString()
  @MinLength(32, { message: 'CPR_HASH_KEY must be at least 32 characters' })
  CPR_HASH_KEY = 'development-only-cpr-hash-key-change-me-0123';

  /** Working days from sending a paper letter until it counts as received (klagefrist, RSL § 67; ast.dk: 6). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  DECISION_LETTER_RECEIPT_WORKING_DAYS = 6;

  /**
   * The municipality's published deadline for deciding a remitted case again (hjemvist by Ankestyrelsen),
   * in calendar days from Ankestyrelsen's decision. Local practice, not law (e.g. Mors: 4 weeks).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REMITTED_DECISION_DEADLINE_DAYS = 28;

  /** Seeds the demo organisation and one user per role into an empty database. Refused in production. */
  @Transform(toBool)
  @IsBoolean()
  DEMO_SEED = false;

  @IsString()
  @MinLength(8)
  DEMO_PASSWORD = 'demo-password';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 10;

  /** How long a BullMQ job lock lasts before a crashed worker's job is retried. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  WORKER_LOCK_DURATION_MS = 30000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_INTERVAL_MS = 250;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 8000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  WORKER_HEARTBEAT_INTERVAL_MS = 5000;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    e.constraints
      ? [`${e.property}: ${Object.values(e.constraints).join('; ')} (got ${JSON.stringify(e.value)})`]
      : flatten(e.children ?? []),
  );
}

/** Validates the environment and returns the typed config, or throws one error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(['OIDC_ISSUER', 'OIDC_JWKS_URI', 'OIDC_AUDIENCE']);
  const input: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const problems = flatten(validateSync(config, { forbidUnknownValues: true }));
  if (config.NODE_ENV === 'production') {
    if (config.DEMO_SEED) problems.push('DEMO_SEED: demo users are never seeded in production');
    if (config.JWT_SECRET === new AppConfig().JWT_SECRET)
      problems.push('JWT_SECRET: set a secret of your own in production');
    if (config.CPR_ENCRYPTION_KEY === new AppConfig().CPR_ENCRYPTION_KEY)
      problems.push('CPR_ENCRYPTION_KEY: set a key of your own in production');
    if (config.CPR_HASH_KEY === new AppConfig().CPR_HASH_KEY) problems.push('CPR_HASH_KEY: set a key of your own in production');
  }
  if (config.OIDC_ISSUER && !config.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE: required when OIDC_ISSUER is set');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
