/** What Slack says about a shared file (files.info / the event's file object). */
export interface SlackFileMeta {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  user?: string;
  /** The sharer's own team (in a Slack Connect channel, another organization's). */
  user_team?: string;
  url_private_download?: string;
  shares?: {
    public?: Record<string, { ts: string; thread_ts?: string }[]>;
    private?: Record<string, { ts: string; thread_ts?: string }[]>;
  };
}

export type FileKind = 'csv' | 'spreadsheet' | 'other';

const SPREADSHEET_EXT = /\.(xlsx|xlsm|xlsb|xls|ods|numbers)$/i;
const SPREADSHEET_TYPES = new Set(['xlsx', 'xls', 'xlsm', 'xlsb', 'ods', 'numbers', 'gsheet']);
const SPREADSHEET_MIME = /spreadsheetml|ms-excel|opendocument\.spreadsheet|apple\.numbers/i;
const CSV_EXT = /\.(csv|tsv|txt|tab)$/i;
const CSV_TYPES = new Set(['csv', 'tsv', 'text']);
const CSV_MIME =
  /^(text\/(csv|plain|tab-separated-values|x-csv|comma-separated-values)|application\/(csv|x-csv|vnd\.ms-excel\.csv))/i;

/**
 * A first look by name and type, before downloading. A CSV named .csv is often sent as
 * application/vnd.ms-excel by Windows, so the name wins over that mimetype; the content is checked
 * again by the engine (proposing the import) after download.
 */
export function fileKind(file: SlackFileMeta): FileKind {
  const name = file.name ?? file.title ?? '';
  if (CSV_EXT.test(name)) return 'csv';
  if (SPREADSHEET_EXT.test(name) || SPREADSHEET_TYPES.has(file.filetype ?? '')) return 'spreadsheet';
  if (SPREADSHEET_MIME.test(file.mimetype ?? '')) return 'spreadsheet';
  if (CSV_TYPES.has(file.filetype ?? '') || CSV_MIME.test(file.mimetype ?? '')) return 'csv';
  return 'other';
}

/** The message that shared the file in `channel`, when Slack says (the thread to answer in). */
export function shareTs(file: SlackFileMeta, channel: string): string | undefined {
  const share = file.shares?.public?.[channel]?.[0] ?? file.shares?.private?.[channel]?.[0];
  return share?.thread_ts ?? share?.ts;
}
