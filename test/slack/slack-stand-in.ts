import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the app made to the stand-in. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** When the call arrived (ms since the epoch). */
  at: number;
}

export interface StandInFile {
  id: string;
  name: string;
  bytes: Buffer;
  user?: string;
  mimetype?: string;
  filetype?: string;
  /** Overrides the size Slack reports (to test the limit without a big file). */
  size?: number;
  channel?: string;
  shareTs?: string;
  /** Overrides the file's `url_private_download` (to point it somewhere else). */
  downloadUrl?: string;
  /** The download answers with a redirect to this address instead of the bytes. */
  redirectTo?: string;
  /** The download answers its headers, then never sends the bytes. */
  stall?: boolean;
  /** The sharer's team as files.info reports it (`user_team`), for a guest of a Slack Connect channel. */
  userTeam?: string;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

export const BOT_USER_ID = 'UINTAKEBOT';
export const BOT_ID = 'BINTAKEBOT';

/**
 * A local stand-in for Slack's Web API: records every call, answers auth.test, chat.*, files.info,
 * users.info, serves file bytes at `url_private_download` (bearer token checked), implements the three steps of
 * files.uploadV2, and fails a method on request (429 with Retry-After, or an `ok: false` error).
 */
export class SlackStandIn {
  readonly calls: SlackCall[] = [];
  readonly downloads: string[] = [];
  /** Bytes received per uploaded file id, with its name, channel and thread once completed. */
  readonly uploads = new Map<
    string,
    { filename: string; bytes?: Buffer; channel?: string; threadTs?: string }
  >();
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  /** Users users.info reports as Slack workspace admins (`is_admin`). */
  readonly slackAdmins = new Set<string>();
  private readonly files = new Map<string, StandInFile>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly holds = new Map<string, Promise<void>[]>();
  private server?: Server;
  private seq = 0;
  url = '';

  constructor(private readonly botToken: string) {}

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  addFile(file: StandInFile): Record<string, unknown> {
    this.files.set(file.id, file);
    return this.meta(file);
  }

  /** The next `times` calls of `method` fail this way. */
  fail(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /** The next call of `method` is answered only once the returned function is called. */
  hold(method: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), gate]);
    return release;
  }

  clearFailures(): void {
    this.failures.clear();
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Ephemeral messages: who was told what, in which channel and thread. */
  ephemerals(): { user: string; text: string; channel: string; thread: string | undefined }[] {
    return this.callsOf('chat.postEphemeral')
      .filter((c) => c.args._failed === undefined)
      .map((c) => ({
        user: String(c.args.user),
        text: String(c.args.text ?? ''),
        channel: String(c.args.channel),
        thread: c.args.thread_ts as string | undefined,
      }));
  }

  /** Messages posted, with their text and blocks as JSON for easy matching. */
  posted(): { ts: string; text: string; blocksJson: string; thread: string | undefined; channel: string }[] {
    return this.callsOf('chat.postMessage')
      .filter((c) => c.args._failed === undefined)
      .map((c) => ({
        ts: String(c.args._ts),
        text: String(c.args.text ?? ''),
        blocksJson: JSON.stringify(c.args.blocks ?? []),
        thread: c.args.thread_ts as string | undefined,
        channel: String(c.args.channel),
      }));
  }

  async waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > until) {
        throw new Error(`timed out waiting for ${what}; Intake's last calls to Slack:\n${this.lastCalls()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The last calls, one line each (method and the start of its text), to say what happened instead. */
  private lastCalls(count = 12): string {
    return this.calls
      .slice(-count)
      .map((c) => {
        const text = typeof c.args.text === 'string' ? c.args.text.slice(0, 160) : '';
        return `  ${c.method} ${text}`.trimEnd();
      })
      .join('\n');
  }

  private meta(f: StandInFile): Record<string, unknown> {
    const channel = f.channel ?? 'C0INTAKE';
    return {
      id: f.id,
      name: f.name,
      title: f.name,
      mimetype: f.mimetype ?? 'text/csv',
      filetype: f.filetype ?? 'csv',
      size: f.size ?? f.bytes.length,
      user: f.user ?? 'UALICE',
      ...(f.userTeam ? { user_team: f.userTeam } : {}),
      url_private: `${this.url}/files-pri/${f.id}/${encodeURIComponent(f.name)}`,
      url_private_download:
        f.downloadUrl ?? `${this.url}/files-pri/${f.id}/download/${encodeURIComponent(f.name)}`,
      shares: f.shareTs ? { public: { [channel]: [{ ts: f.shareTs, channel_name: 'general' }] } } : {},
    };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (url.pathname.startsWith('/api/')) return this.api(url.pathname.slice(5), raw, req, token, res);
    const download = /^\/files-pri\/([^/]+)\/download\//.exec(url.pathname);
    if (download && req.method === 'GET') {
      const file = this.files.get(download[1]!);
      if (token !== this.botToken || !file) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden');
        return;
      }
      this.downloads.push(file.id);
      if (file.redirectTo) {
        res.writeHead(302, { Location: file.redirectTo }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      if (file.stall) res.flushHeaders();
      else res.end(file.bytes);
      return;
    }
    const upload = /^\/upload\/([^/]+)$/.exec(url.pathname);
    if (upload) {
      const entry = this.uploads.get(upload[1]!);
      if (!entry || token !== this.botToken) {
        res.writeHead(403).end();
        return;
      }
      // files.uploadV2 posts the bytes as multipart/form-data.
      const form = await new Response(raw, {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
      const part = [...form.values()][0];
      entry.bytes = typeof part === 'string' ? Buffer.from(part) : Buffer.from(await part!.arrayBuffer());
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${entry.bytes.length}`);
      return;
    }
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({
        path: url.pathname,
        body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    res.writeHead(404).end();
  }

  private api(
    method: string,
    raw: Buffer,
    req: IncomingMessage,
    token: string | null,
    res: ServerResponse,
  ): void {
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const call: SlackCall = {
      method,
      args,
      token: token ?? (args.token as string | undefined) ?? null,
      at: Date.now(),
    };
    this.calls.push(call);
    const gate = this.holds.get(method)?.shift() ?? Promise.resolve();
    const json = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) =>
      void gate.then(() =>
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body)),
      );
    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      call.args._failed = 429;
      return json({ ok: false, error: 'ratelimited' }, 429, { 'Retry-After': String(failure.retryAfter) });
    }
    if (failure) {
      call.args._failed = failure.error;
      return json({ ok: false, error: failure.error });
    }
    if (call.token !== this.botToken) return json({ ok: false, error: 'invalid_auth' });
    const n = ++this.seq;
    switch (method) {
      case 'auth.test':
        return json({ ok: true, user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: 'T0INTAKE', user: 'intake' });
      case 'chat.postMessage': {
        const ts = `1700000${String(n).padStart(3, '0')}.000100`;
        args._ts = ts;
        return json({ ok: true, channel: args.channel, ts, message: { text: args.text, ts } });
      }
      case 'chat.update':
        return json({ ok: true, channel: args.channel, ts: args.ts });
      case 'users.info': {
        const user = String(args.user);
        const admin = this.slackAdmins.has(user);
        return json({ ok: true, user: { id: user, team_id: 'T0INTAKE', is_admin: admin, is_owner: false } });
      }
      case 'chat.postEphemeral':
        return json({ ok: true, message_ts: `1700001${n}.000100` });
      case 'files.info': {
        const file = this.files.get(String(args.file));
        return file
          ? json({ ok: true, file: this.meta(file) })
          : json({ ok: false, error: 'file_not_found' });
      }
      case 'files.getUploadURLExternal': {
        const id = `FUP${n}`;
        this.uploads.set(id, { filename: String(args.filename) });
        return json({ ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const files = JSON.parse(String(args.files)) as { id: string; title?: string }[];
        for (const f of files) {
          const entry = this.uploads.get(f.id);
          if (entry) Object.assign(entry, { channel: args.channel_id, threadTs: args.thread_ts });
        }
        return json({ ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      default:
        return json({ ok: true });
    }
  }
}

function parseArgs(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (/json/i.test(contentType)) return JSON.parse(text || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(text));
  for (const key of ['blocks', 'attachments']) {
    if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string) as unknown;
  }
  return args;
}
