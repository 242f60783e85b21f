/**
 * Message ids each consumer has processed. Recorded in the same transaction as the handler's effects,
 * so a redelivered message is recognised and skipped, and a rolled-back handler leaves no record.
 */
export interface Inbox {
  /**
   * Records that `consumer` processed `messageId`. Returns true the first time and false when it was already
   * recorded (the caller then skips its effects). Concurrent records of one id: exactly one returns true.
   */
  record(consumer: string, messageId: string): Promise<boolean>;
}
