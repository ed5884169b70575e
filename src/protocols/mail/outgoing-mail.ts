/** A reply as stored in the outbox: plain data, so any process can send it after a restart. */
export type OutgoingAttachment =
  | { filename: string; content: string }
  /** The skipped-rows report of an import, streamed from the database when the mail is sent. */
  | { filename: string; reportOf: string };

export interface OutgoingMail {
  workspaceId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
  attachments: OutgoingAttachment[];
}

/** "Re: " once, however many times a thread went back and forth. */
export function replySubject(subject: string): string {
  const s = subject.replace(/[\r\n]+/g, ' ').trim();
  if (!s) return 'Re: your import';
  return /^(re|aw|sv|antw)\s*:/i.test(s) ? s : `Re: ${s}`;
}

/** The References of our answer: theirs plus the message we answer (RFC 5322 §3.6.4), bounded. */
export function threadReferences(theirReferences: readonly string[], theirMessageId: string): string[] {
  const all = [...theirReferences, theirMessageId].filter(Boolean);
  return [...new Set(all)].slice(-20);
}

/**
 * A bare sender address gets the name "Intake": a quoted copy of the mail then starts with
 * "From: Intake <…>", which every client and every quote reader recognises.
 */
export function withDisplayName(from: string): string | { name: string; address: string } {
  return from.includes('<') ? from : { name: 'Intake', address: from.trim() };
}
