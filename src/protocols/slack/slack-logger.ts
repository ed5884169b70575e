import { Logger as NestLogger } from '@nestjs/common';
import { LogLevel, type Logger } from '@slack/bolt';
import { redact } from '../../core/redact';

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/** Bolt's and the Web API client's logs go through Nest's logger, with emails and phones masked. */
export function slackLogger(name: string, level: string): Logger {
  const nest = new NestLogger(name);
  let current = level === 'debug' || level === 'trace' ? LogLevel.DEBUG : LogLevel.WARN;
  const on = (l: LogLevel) => ORDER.indexOf(l) >= ORDER.indexOf(current);
  const line = (msg: unknown[]) =>
    redact(msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: (...msg) => on(LogLevel.DEBUG) && nest.debug(line(msg)),
    info: (...msg) => on(LogLevel.INFO) && nest.log(line(msg)),
    warn: (...msg) => on(LogLevel.WARN) && nest.warn(line(msg)),
    error: (...msg) => on(LogLevel.ERROR) && nest.error(line(msg)),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

/** A Slack error without its payload: the method's error code or the message, redacted. */
export function slackErrorText(e: unknown): string {
  const data = (e as { data?: { error?: string } }).data;
  return redact(data?.error ?? (e instanceof Error ? e.message : String(e)));
}
