import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { redact } from '../../core/redact';
import { IntakeError, IntakeErrorCode } from '../../core/intake-error';

const STATUS: Partial<Record<IntakeErrorCode, number>> = {
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  file_too_large: 413,
  missing_required: 422,
  invalid_mapping: 422,
};

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
