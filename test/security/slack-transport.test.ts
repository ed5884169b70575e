import { createServer, request as httpRequest, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_SLACK_BODY_BYTES } from '../../src/protocols/slack/slack-http.receiver';
import { fixture, sign } from '../slack/slack-requests';
import type { StandInFile } from '../slack/slack-stand-in';
import { TEAM, USER, World, ids, share, textsIn, startWorld } from '../slack/slack-world';
import { storedCounts } from './http-support';

/** A server that is not Slack, on loopback: it records every request that reaches it. */
class ForeignHost {
  readonly requests: { path: string; authorization?: string }[] = [];
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'text/csv' }).end('First Name,Email\nEve,eve@evil.example\n');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

let w: World;
let foreign: ForeignHost;

beforeAll(async () => {
  foreign = new ForeignHost();
  await foreign.start();
  w = await startWorld('sec_slack_transport', { SLACK_DOWNLOAD_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await w.close();
  await foreign.close();
});

const csv = 'First Name,Email\nAna,ana@transport.example.com\n';
const REFUSED = /does not point to Slack's own file servers/;

/** Shares a file whose download is set up by `file`, and waits for the answer in its thread. */
async function shareAndWaitForAnswer(file: Partial<StandInFile>, answer: RegExp) {
  const before = await storedCounts(w.h);
  const shared = await share(w, csv, { file });
  const text = await w.slack.waitFor('the answer in the thread', () =>
    textsIn(w, shared.channel).find((t) => answer.test(t)),
  );
  return { shared, before, text };
}

describe('the file download', () => {
  test('a foreign host in url_private_download: a clear answer, no request to it, nothing stored', async () => {
    const url = `http://127.0.0.1:${foreign.port}/files-pri/T1-F1/download/people.csv`;
    const { before } = await shareAndWaitForAnswer({ downloadUrl: url }, REFUSED);
    expect(foreign.requests).toEqual([]);
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test("the stand-in's own port under another host name is refused: the origin must match exactly", async () => {
    const port = new URL(w.slack.url).port;
    const downloadsBefore = w.slack.downloads.length;
    const { before } = await shareAndWaitForAnswer(
      { downloadUrl: `http://localhost:${port}/files-pri/FX/download/people.csv` },
      REFUSED,
    );
    expect(w.slack.downloads.length).toBe(downloadsBefore);
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test('a Slack-looking host over plain http is refused without a request', async () => {
    const { before } = await shareAndWaitForAnswer(
      { downloadUrl: 'http://files.slack.com/files-pri/T1-F1/download/people.csv' },
      REFUSED,
    );
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test('a redirect from the file host to a foreign host is not followed: the token stays home', async () => {
    const redirectTo = `http://127.0.0.1:${foreign.port}/stolen`;
    const { before } = await shareAndWaitForAnswer({ redirectTo }, REFUSED);
    expect(foreign.requests).toEqual([]);
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test('a download that stalls is abandoned after the timeout, with an answer, and nothing is stored', async () => {
    const { before } = await shareAndWaitForAnswer(
      { stall: true },
      /Something went wrong while I read this file/,
    );
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test('a file on the configured Slack API origin is still imported', async () => {
    const shared = await share(w, csv);
    await w.slack.waitFor('the mapping message', () =>
      w.slack.posted().find((p) => p.channel === shared.channel && /intake_column/.test(p.blocksJson)),
    );
    expect(w.slack.downloads).toContain(shared.fileId);
  });
});

/** Sends a POST to the Slack endpoint with node:http, resolving on the answer even if the body is cut. */
function rawPost(
  headers: Record<string, string | number>,
  write: (req: ReturnType<typeof httpRequest>) => void,
): Promise<{ status: number; body: string }> {
  const url = new URL(`${w.h.url}/slack/events`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
      (res: IncomingMessage) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The server drops the connection after answering; writes after that may fail, which is the point.
    req.on('error', (e) => reject(e));
    write(req);
  });
}

/** A signed file_shared event padded past the limit with an extra field. */
function oversizedEvent(): { body: string; headers: Record<string, string> } {
  const id = ids();
  w.slack.addFile({ id: id.fileId, name: 'padded.csv', bytes: Buffer.from(csv), channel: id.channel });
  const envelope = fixture('event-file-shared.json', {
    teamId: TEAM,
    channel: id.channel,
    fileId: id.fileId,
    userId: USER,
    eventId: id.eventId,
  });
  const body = JSON.stringify({ ...envelope, padding: 'x'.repeat(MAX_SLACK_BODY_BYTES) });
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': sign(w.secret, ts, body),
    },
  };
}

describe('the Slack endpoint refuses bodies larger than Slack sends', () => {
  test('by Content-Length, before reading any of it: 413 while the body has not even been sent', async () => {
    const res = await rawPost(
      { 'Content-Type': 'application/json', 'Content-Length': MAX_SLACK_BODY_BYTES + 1 },
      (req) => req.write('{"type":"event_callback"'), // and never the rest
    );
    expect(res.status).toBe(413);
  });

  test('a signed, chunked event over the limit gets 413 and nothing is done', async () => {
    const filesInfoBefore = w.slack.callsOf('files.info').length;
    const before = await storedCounts(w.h);
    const { body, headers } = oversizedEvent();
    const res = await rawPost({ ...headers, 'Transfer-Encoding': 'chunked' }, (req) => {
      const bytes = Buffer.from(body);
      let at = 0;
      const more = (): void => {
        while (at < bytes.length) {
          const chunk = bytes.subarray(at, at + 64 * 1024);
          at += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', more);
        }
        req.end();
      };
      req.on('error', () => undefined);
      more();
    });
    expect(res.status).toBe(413);
    expect(w.slack.callsOf('files.info').length).toBe(filesInfoBefore);
    expect(await storedCounts(w.h)).toEqual(before);
  });

  test('a signed event just under the limit is still read', async () => {
    const res = await w.sender.event({ type: 'url_verification', challenge: 'c', padding: 'x'.repeat(1000) });
    expect(res.status).toBe(200);
  });
});
