/** Stable error codes: the CLI's JSON, the API and the chat doors all show them. */
export type IntakeErrorCode =
  | 'empty_file'
  | 'no_header'
  | 'not_a_table'
  | 'binary_file'
  | 'excel_file'
  | 'encrypted_file'
  | 'unreadable_workbook'
  | 'workbook_too_large'
  | 'unknown_sheet'
  | 'file_too_large'
  | 'too_many_columns'
  | 'unsupported_encoding'
  | 'missing_required'
  | 'invalid_mapping'
  | 'invalid_type'
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  /** The same action was already applied (or is being applied): nothing was done again. */
  | 'already_done'
  | 'quota_exceeded'
  | 'too_many_uploads'
  | 'storage_full'
  | 'unauthorized'
  | 'not_configured';

/** An error a person caused and can fix; `message` says what to do. */
export class IntakeError extends Error {
  constructor(
    readonly code: IntakeErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}

export function isIntakeError(e: unknown): e is IntakeError {
  return e instanceof IntakeError;
}
