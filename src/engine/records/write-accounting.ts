/**
 * Seen with FerretDB 1.24 killed and restarted mid-batch: an insertMany that neither stored every
 * document nor reported the missing ones as errors. Counting what the server says it did catches that;
 * the batch is then retried from the last checkpoint (writes are idempotent), instead of counting rows
 * as imported that are not there.
 */
export function assertAllAccounted(op: string, sent: number, done: number, refused: number): void {
  if (done + refused !== sent) {
    throw new Error(
      `${op} accounted for ${done} + ${refused} refused of ${sent} documents; retrying the batch`,
    );
  }
}
