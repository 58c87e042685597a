/**
 * One bad input or abuse of the bot: what it does, what the bot must reply (or refuse), and
 * where the next ordinary message is sent to show the bot is still well.
 */

/** What the case attacks; "hardening item" in the report names the issue item behind each theme. */
export type Theme =
  | "one user stalls everyone"
  | "access and admins"
  | "hostile files"
  | "markup in names and answers"
  | "forged updates"
  | "drafts"
  | "platform faults"
  | "payloads in quoted messages"
  | "budgets"
  | "addressing";

export interface AbuseCase<Rig, Place> {
  readonly name: string;
  readonly theme: Theme;
  /**
   * Does the abuse and asserts the bot's reply. Returns where the next ordinary message goes:
   * the same user where they can still be answered at once, someone else where the abuse
   * rightly holds them up (their own flood still being told to wait).
   */
  run(rig: Rig): Promise<Place>;
}
