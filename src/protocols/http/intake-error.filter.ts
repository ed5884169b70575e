import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { redact } from '../../core/redact';
import { IntakeError, IntakeErrorCode } from '../../core/intake-error';

const STATUS: Partial<Record<IntakeErrorCode, number>> = {
  not_found: 404,
  conflict: 409,
  already_done: 409,
  quota_exceeded: 429,
  too_many_uploads: 429,
  storage_full: 413,
  unauthorized: 401,
  file_too_large: 413,
  too_many_columns: 422,
  missing_required: 422,
  invalid_mapping: 422,
};

/** What Express's body parsers throw (http-errors): a client's fault, with its status and a type. */
interface BodyParserError {
  status: number;
  type: string;
  expose: boolean;
  limit?: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  const x = e as Partial<BodyParserError> | null;
  return typeof x?.status === 'number' && typeof x.type === 'string' && x.expose === true;
}

/** A request body that could not be read (too large, bad encoding, cut short), as the client's error. */
export function bodyReadingError(e: unknown): { status: number; code: string; message: string } | null {
  if (!isBodyParserError(e) || e.status < 400 || e.status > 499) return null;
  if (e.status === 413) {
    const limit = e.limit ? ` (${Math.floor(e.limit / 1024)} KiB)` : '';
    return {
      status: 413,
      code: 'body_too_large',
      message: `The request body is larger than the limit${limit}.`,
    };
  }
  return {
    status: e.status,
    code: 'invalid_request',
    message: `The request body could not be read (${e.type}).`,
  };
}

/** One error shape for every endpoint: {"error": {"code", "message"}}. */
@Catch()
export class IntakeErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof IntakeError) {
      res
        .status(STATUS[error.code] ?? 400)
        .json({ error: { code: error.code, message: error.message, ...error.details } });
      return;
    }
    const body = bodyReadingError(error);
    if (body) {
      res.status(body.status).json({ error: { code: body.code, message: body.message } });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      res
        .status(status)
        .json({ error: { code: status === 404 ? 'not_found' : 'invalid_request', message: error.message } });
      return;
    }
    this.log.error(redact(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    res.status(500).json({
      error: {
        code: 'internal',
        message: 'Something went wrong on our side; nothing was lost. Try again.',
      },
    });
  }
}
