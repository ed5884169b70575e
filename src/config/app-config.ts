import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultMailAuth, parseSealers, parseTrustedRelays, TrustedRelay } from './mail-trust';
import { databaseNameOf } from './mongo-uri';

/** The only place that reads the environment. Everything else receives an AppConfig. */
export const ROLES = ['api', 'smtp', 'worker'] as const;
export type Role = (typeof ROLES)[number];

const rolesSchema = z
  .string()
  .default('api,smtp,worker')
  .transform((s, ctx) => {
    const roles = s
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    for (const r of roles) {
      if (!(ROLES as readonly string[]).includes(r)) {
        ctx.addIssue({ code: 'custom', message: `unknown role "${r}" (use api, smtp, worker)` });
        return z.NEVER;
      }
    }
    return new Set(roles as Role[]);
  });

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const optional = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined));

/** A comma-separated list checked by `parse`; its error message becomes the setting's. */
const listOf = <T>(parse: (text: string | undefined) => T[]) =>
  optional.transform((s, ctx) => {
    try {
      return parse(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

const envSchema = z.object({
  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017/intake'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  INTAKE_ROLES: rolesSchema,
  HTTP_PORT: int(3000),
  HTTP_HOST: z.string().default('127.0.0.1'),
  INTAKE_ADMIN_KEY: optional.refine(
    (s) => s === undefined || s.length >= 16,
    'at least 16 characters (for example `openssl rand -hex 32`)',
  ),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: z.string().default('https://slack.com/api/'),
  SLACK_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, 'a slash command such as /intake')
    .default('/intake'),
  SLACK_PROGRESS_MS: int(3000),
  SLACK_DOWNLOAD_TIMEOUT_MS: int(30_000),
  SMTP_PORT: int(2525),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_MAX_BYTES: int(25 * 1024 * 1024),
  SMTP_TLS_KEY: optional,
  SMTP_TLS_CERT: optional,
  INTAKE_SMTP_MAX_PER_CLIENT: int(5),
  INTAKE_SMTP_IDLE_MS: int(60_000),
  INTAKE_SMTP_SESSION_MS: int(10 * 60_000),
  INTAKE_MAIL_HANDLING_MS: int(5 * 60_000),
  // Fault injection for the crash tests; never set outside them.
  INTAKE_FAULT_EXIT_ON_MAIL_SUBJECT: optional,
  INTAKE_REPLY_SECRET: optional,
  INTAKE_REPLY_TTL_HOURS: int(72),
  INTAKE_MAIL_MAX_CSV: int(10),
  // Empty counts as unset (compose passes declared-but-unset variables through as empty).
  INTAKE_MAIL_AUTH: optional.pipe(z.enum(['off', 'enforce']).optional()),
  INTAKE_MAIL_TRUSTED_RELAYS: listOf(parseTrustedRelays),
  INTAKE_MAIL_TRUSTED_ARC_SEALERS: listOf(parseSealers),
  INTAKE_MAIL_DIR: optional,
  IMPORT_DOMAIN: z.string().default('import.localhost'),
  OUTBOUND_SMTP_URL: optional,
  MAIL_FROM: optional,
  INTAKE_ALLOWED_SENDERS: optional,
  INTAKE_API_KEY: optional,
  INTAKE_DEFAULT_WORKSPACE: z.string().default('default'),
  INTAKE_WORKSPACE: optional,
  INTAKE_DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code such as US or DE')
    .default('US'),
  INTAKE_MAX_FILE_BYTES: int(512 * 1024 * 1024),
  INTAKE_SPOOL_DIR: optional,
  INTAKE_BATCH_SIZE: int(1000),
  INTAKE_BATCH_MAX_BYTES: int(8 * 1024 * 1024),
  INTAKE_MAX_COLUMNS: int(500),
  INTAKE_MAX_EXTRA_CELLS: int(50),
  INTAKE_MAX_ROW_BYTES: int(4 * 1024 * 1024),
  INTAKE_XLSX_MAX_SHEET_BYTES: int(1024 * 1024 * 1024),
  INTAKE_XLSX_MAX_SHARED_STRINGS_BYTES: int(128 * 1024 * 1024),
  INTAKE_REPORT_CELL_CHARS: int(2048),
  INTAKE_REPORT_ROW_CHARS: int(16 * 1024),
  INTAKE_REPORT_ATTACHMENT_MAX_BYTES: int(10 * 1024 * 1024),
  INTAKE_QUEUE_PREFIX: optional,
  INTAKE_WORKER_CONCURRENCY: int(2),
  INTAKE_JOB_ATTEMPTS: int(5),
  INTAKE_JOB_LOCK_MS: int(30_000),
  INTAKE_STALLED_INTERVAL_MS: int(30_000),
  INTAKE_STALE_IMPORT_MS: int(10 * 60_000),
  INTAKE_SWEEP_MS: int(20_000),
  INTAKE_RETRY_DELAY_MS: int(2000),
  INTAKE_FILE_RETENTION_DAYS: int(30),
  INTAKE_MAPPING_TTL_DAYS: int(7),
  INTAKE_LEARNED_MAPPINGS_MAX: int(500),
  INTAKE_RETENTION_SWEEP_MS: int(60 * 60_000),
  INTAKE_RUNNING_PER_WORKSPACE: int(2),
  INTAKE_SLOT_LEASE_MS: int(60_000),
  INTAKE_AWAITING_MAPPING_PER_WORKSPACE: int(50),
  INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE: int(4),
  INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS: int(16),
  INTAKE_STORAGE_QUOTA_BYTES: int(5 * 1024 * 1024 * 1024),
  INTAKE_REPORT_ROWS_QUOTA: int(2_000_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface AppConfig {
  readonly mongoUri: string;
  /** The database MONGODB_URI names (the driver's default, `test`, when it names none). */
  readonly mongoDatabase: string;
  readonly redisUrl: string;
  readonly roles: ReadonlySet<Role>;
  readonly http: {
    readonly port: number;
    readonly host: string;
    /** The operators' key of the queue dashboard; without it the dashboard is not served. */
    readonly adminKey?: string;
  };
  readonly slack: {
    readonly botToken?: string;
    readonly signingSecret?: string;
    readonly appToken?: string;
    readonly apiUrl: string;
    /** The slash command's name, with its slash. */
    readonly command: string;
    /** At most one progress edit per this many milliseconds. */
    readonly progressMs: number;
    /** A file download that waits this long for Slack (to answer, or for the next bytes) is abandoned. */
    readonly downloadTimeoutMs: number;
  };
  readonly mail: {
    readonly smtpPort: number;
    readonly smtpHost: string;
    /** Largest message accepted, in bytes (answered 552 above it). */
    readonly maxMessageBytes: number;
    /** Paths of a PEM key and certificate; STARTTLS is offered when both are set. */
    readonly tlsKeyPath?: string;
    readonly tlsCertPath?: string;
    /** Connections one client may hold at once (an IPv4 address, or an IPv6 /64); more are refused with 421. */
    readonly maxConnectionsPerClient: number;
    /** A connection that neither starts nor sends a message for this long is closed with 421. */
    readonly idleMs: number;
    /** No connection is kept longer than this, whatever it does (a message already in is answered first). */
    readonly sessionMs: number;
    /** Time one inbound message may take to handle in the background before that attempt is given up. */
    readonly handlingBudgetMs: number;
    /** HMAC secret of reply tokens; when unset one is generated and kept in the database. */
    readonly replySecret?: string;
    readonly replyTtlHours: number;
    /** CSV attachments taken from one message; the answer names the ones left out. */
    readonly maxCsvPerMessage: number;
    /**
     * 'enforce' accepts only mail whose From domain is authenticated (DMARC, or aligned SPF/DKIM);
     * unless set, it is on whenever the SMTP server listens beyond loopback.
     */
    readonly mailAuth: 'off' | 'enforce';
    /** Relays whose Authentication-Results are believed, when the message comes from their network. */
    readonly trustedRelays: readonly TrustedRelay[];
    /** ARC sealers whose chain results are believed when the chain validates. */
    readonly trustedArcSealers: readonly string[];
    readonly importDomain: string;
    readonly outboundSmtpUrl?: string;
    /** Without an outbound relay, answers are written here as .eml files (npm run dev sets it). */
    readonly dropDir?: string;
    readonly from: string;
    readonly allowedSenders: readonly string[];
  };
  readonly defaultWorkspace: { readonly id: string; readonly apiKey?: string; readonly country: string };
  readonly limits: {
    readonly maxFileBytes: number;
    /**
     * Where an upload lands on local disk first: the proposal is answered from there at once while the
     * file is stored in the database behind it (each upload holds at most maxFileBytes here, briefly).
     */
    readonly spoolDir: string;
    readonly batchSize: number;
    /** A batch is written once its rows hold this many characters, even before `batchSize` rows. */
    readonly batchMaxBytes: number;
    /** Files with more columns are refused before anything is queued. */
    readonly maxColumns: number;
    /** What one row may hold: more cells than the header's plus `maxExtraCells`, or more bytes, and it is skipped. */
    readonly rows: { readonly maxExtraCells: number; readonly maxRecordBytes: number };
    /** What a workbook may unpack to: a sheet's XML, and the shared-strings table held while reading. */
    readonly workbook: { readonly maxSheetBytes: number; readonly maxSharedStringsBytes: number };
    /**
     * How much of a skipped or flagged row the report keeps, in characters per cell and per row, and the
     * most of it a Slack upload or a mail attachment holds (the API and the CLI stream it whole).
     */
    readonly report: {
      readonly cellChars: number;
      readonly rowChars: number;
      readonly attachmentBytes: number;
    };
  };
  readonly queue: {
    readonly prefix: string;
    readonly concurrency: number;
    readonly attempts: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly staleImportMs: number;
    /** How often a worker looks for imports left without a job (a queued one waits at most two of these). */
    readonly sweepMs: number;
    /** First delay before a failed job is tried again (doubling each time). */
    readonly retryDelayMs: number;
  };
  readonly retention: {
    /** An ended import's stored file is deleted this many days after it ended (its listing and report stay). */
    readonly fileDays: number;
    /** An import still waiting for its mapping this many days after its upload expires (cancelled). */
    readonly awaitingMappingDays: number;
    /** Learned header→field choices kept per workspace and type; the most recently confirmed win. */
    readonly learnedMappingsMax: number;
    /** How often each worker runs the retention sweep. */
    readonly sweepMs: number;
  };
  /** How the workers share themselves between workspaces, and how much one workspace may hold. */
  readonly fairness: {
    /** Imports of one workspace running at once; the rest wait queued, first in first out. */
    readonly runningPerWorkspace: number;
    /** A running import's claim on its workspace's slot lapses this long after its worker last renewed it. */
    readonly slotLeaseMs: number;
    /** Imports of one workspace waiting for a mapping; a new upload beyond it is refused. */
    readonly awaitingMappingPerWorkspace: number;
    /**
     * Uploads being received or stored at once (each holds up to maxFileBytes of local spool): per
     * workspace across every API process, and in total in this process. Beyond either, refused before
     * receiving.
     */
    readonly uploadsInFlightPerWorkspace: number;
    readonly uploadsInFlightPerProcess: number;
    /**
     * What one workspace may keep: bytes of stored files (uploads not yet deleted) and rows of
     * skipped-rows reports. A new upload is refused once either is reached.
     */
    readonly storageQuotaBytes: number;
    readonly reportRowsQuota: number;
  };
  /** Fault points the crash tests set; empty in every real setup. */
  readonly faults: {
    /** The process kills itself (SIGKILL) while handling an inbound message whose subject holds this. */
    readonly exitOnMailSubject?: string;
  };
  readonly logLevel: string;
  /** The workspace the CLI acts in when --workspace is not given. */
  readonly cliWorkspace?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Validates the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database = databaseNameOf(e.MONGODB_URI) ?? 'test';
  return {
    mongoUri: e.MONGODB_URI,
    mongoDatabase: database,
    redisUrl: e.REDIS_URL,
    roles: e.INTAKE_ROLES,
    http: { port: e.HTTP_PORT, host: e.HTTP_HOST, adminKey: e.INTAKE_ADMIN_KEY },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      command: e.SLACK_COMMAND,
      progressMs: e.SLACK_PROGRESS_MS,
      downloadTimeoutMs: Math.max(1000, e.SLACK_DOWNLOAD_TIMEOUT_MS),
    },
    mail: {
      smtpPort: e.SMTP_PORT,
      smtpHost: e.SMTP_HOST,
      maxMessageBytes: e.SMTP_MAX_BYTES,
      tlsKeyPath: e.SMTP_TLS_KEY,
      tlsCertPath: e.SMTP_TLS_CERT,
      maxConnectionsPerClient: Math.max(1, e.INTAKE_SMTP_MAX_PER_CLIENT),
      idleMs: Math.max(1000, e.INTAKE_SMTP_IDLE_MS),
      sessionMs: Math.max(1000, e.INTAKE_SMTP_SESSION_MS),
      handlingBudgetMs: Math.max(1000, e.INTAKE_MAIL_HANDLING_MS),
      replySecret: e.INTAKE_REPLY_SECRET,
      replyTtlHours: Math.max(1, e.INTAKE_REPLY_TTL_HOURS),
      maxCsvPerMessage: Math.max(1, e.INTAKE_MAIL_MAX_CSV),
      mailAuth: e.INTAKE_MAIL_AUTH ?? defaultMailAuth(e.SMTP_HOST),
      trustedRelays: e.INTAKE_MAIL_TRUSTED_RELAYS,
      trustedArcSealers: e.INTAKE_MAIL_TRUSTED_ARC_SEALERS,
      importDomain: e.IMPORT_DOMAIN,
      outboundSmtpUrl: e.OUTBOUND_SMTP_URL,
      dropDir: e.INTAKE_MAIL_DIR,
      from: e.MAIL_FROM ?? `intake@${e.IMPORT_DOMAIN}`,
      allowedSenders: (e.INTAKE_ALLOWED_SENDERS ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    },
    defaultWorkspace: {
      id: e.INTAKE_DEFAULT_WORKSPACE,
      apiKey: e.INTAKE_API_KEY,
      country: e.INTAKE_DEFAULT_COUNTRY,
    },
    limits: {
      maxFileBytes: e.INTAKE_MAX_FILE_BYTES,
      spoolDir: e.INTAKE_SPOOL_DIR ?? join(tmpdir(), `intake-spool-${process.getuid?.() ?? 'user'}`),
      batchSize: Math.max(1, e.INTAKE_BATCH_SIZE),
      batchMaxBytes: Math.max(64 * 1024, e.INTAKE_BATCH_MAX_BYTES),
      maxColumns: Math.max(1, e.INTAKE_MAX_COLUMNS),
      rows: {
        maxExtraCells: e.INTAKE_MAX_EXTRA_CELLS,
        maxRecordBytes: Math.max(1024, e.INTAKE_MAX_ROW_BYTES),
      },
      workbook: {
        maxSheetBytes: Math.max(1024 * 1024, e.INTAKE_XLSX_MAX_SHEET_BYTES),
        maxSharedStringsBytes: Math.max(64 * 1024, e.INTAKE_XLSX_MAX_SHARED_STRINGS_BYTES),
      },
      report: {
        cellChars: Math.max(16, e.INTAKE_REPORT_CELL_CHARS),
        rowChars: Math.max(16, e.INTAKE_REPORT_ROW_CHARS),
        attachmentBytes: Math.max(4096, e.INTAKE_REPORT_ATTACHMENT_MAX_BYTES),
      },
    },
    queue: {
      // Two setups (two databases) sharing one Redis must never take each other's jobs.
      prefix: e.INTAKE_QUEUE_PREFIX ?? `intake-${database}`,
      concurrency: Math.max(1, e.INTAKE_WORKER_CONCURRENCY),
      attempts: Math.max(1, e.INTAKE_JOB_ATTEMPTS),
      lockDurationMs: Math.max(1000, e.INTAKE_JOB_LOCK_MS),
      stalledIntervalMs: Math.max(1000, e.INTAKE_STALLED_INTERVAL_MS),
      staleImportMs: Math.max(10_000, e.INTAKE_STALE_IMPORT_MS),
      sweepMs: Math.max(100, e.INTAKE_SWEEP_MS),
      retryDelayMs: Math.max(10, e.INTAKE_RETRY_DELAY_MS),
    },
    retention: {
      fileDays: Math.max(1, e.INTAKE_FILE_RETENTION_DAYS),
      awaitingMappingDays: Math.max(1, e.INTAKE_MAPPING_TTL_DAYS),
      learnedMappingsMax: Math.max(1, e.INTAKE_LEARNED_MAPPINGS_MAX),
      sweepMs: Math.max(1000, e.INTAKE_RETENTION_SWEEP_MS),
    },
    fairness: {
      runningPerWorkspace: Math.max(1, e.INTAKE_RUNNING_PER_WORKSPACE),
      slotLeaseMs: Math.max(1000, e.INTAKE_SLOT_LEASE_MS),
      awaitingMappingPerWorkspace: Math.max(1, e.INTAKE_AWAITING_MAPPING_PER_WORKSPACE),
      uploadsInFlightPerWorkspace: Math.max(1, e.INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE),
      uploadsInFlightPerProcess: Math.max(1, e.INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS),
      storageQuotaBytes: Math.max(1, e.INTAKE_STORAGE_QUOTA_BYTES),
      reportRowsQuota: Math.max(1, e.INTAKE_REPORT_ROWS_QUOTA),
    },
    faults: { exitOnMailSubject: e.INTAKE_FAULT_EXIT_ON_MAIL_SUBJECT },
    logLevel: e.LOG_LEVEL,
    cliWorkspace: e.INTAKE_WORKSPACE,
  };
}
