/** Bounds of inbound mail. */
/** Largest number of recipients one message may name. */
export const MAX_RECIPIENTS = 10;
/** Forwarded messages inside forwarded messages: how deep we look for a CSV. */
export const MAX_NESTING = 3;
/** Longest SMTP command line accepted (RFC 5321 allows 512, plus room for ESMTP parameters). */
export const MAX_COMMAND_CHARS = 2048;
