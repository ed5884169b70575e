/** Queue names and payloads of the email door. */
export const EMAIL_INBOUND_QUEUE = 'email-inbound';
export const EMAIL_OUTBOUND_QUEUE = 'email-outbound';

/** A message stored (GridFS) and accepted with 250, to be parsed and answered in the background. */
export interface InboundJob {
  rawFileId: string;
  workspaceId: string;
  envelopeFrom: string;
  /** The first import address or reply address it was sent to. */
  recipient: string;
  /** The From header's address: the person we answer. */
  sender: string;
  receivedAt: string;
}

export interface OutboundJob {
  key: string;
}

/** Replies per recipient per hour; beyond it answers are dropped (logged), never queued. */
export const REPLIES_PER_HOUR = 30;
/** Largest number of recipients one message may name. */
export const MAX_RECIPIENTS = 10;
/** Forwarded messages inside forwarded messages: how deep we look for a CSV. */
export const MAX_NESTING = 3;
