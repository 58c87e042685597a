/**
 * The port that makes each platform update answered once, whichever process receives it:
 * several Telegram webhook workers behind one URL may each get the same update (a redelivery),
 * and a process restarted in polling mode gets again what it had not confirmed. The first
 * process to claim an update answers it; the claim keeps the update until it is answered, so
 * that if its process dies first another one answers it. Redis in src/store/redis-update-claims.ts;
 * a store only one process uses has none (nothing to share). Used by the Telegram adapter
 * (adapters/telegram/claimed-updates.ts).
 */
export interface UpdateClaims {
  /**
   * True when this process is to answer the update: nobody claimed it, or its claimer died
   * before answering. False when another live process has it, or it was answered.
   */
  claim(platform: string, updateId: string, payload: string): Promise<boolean>;
  /** The update is answered (or given up on): nobody answers it again. */
  finish(platform: string, updateId: string): Promise<void>;
  /** Takes over updates whose claimer died before answering them; this process answers them now. */
  adoptOrphans(platform: string): Promise<readonly { readonly updateId: string; readonly payload: string }[]>;
}
