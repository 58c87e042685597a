import { setMaxListeners } from "node:events";

/** A reading's calls under way, its queued parts and its waits each listen to its signal. */
const listenersPerReading = 200;

/** Why a reading's signal aborted when `/cancel` (or its button) stopped it. */
export class ReadingCancelled extends Error {
  override readonly name = "ReadingCancelled";
}

interface Reading {
  /** The chat (and thread) it was asked in. */
  readonly location: string;
  readonly authorId: string;
  readonly documentName: string;
  readonly controller: AbortController;
}

/** A reading under way, as its own code holds it. */
export interface ReadingHandle {
  /** Aborts on `/cancel`, and when the request's own signal aborts (a shutdown). */
  readonly signal: AbortSignal;
  /** Whether `/cancel` stopped it (rather than a shutdown). */
  readonly cancelled: boolean;
  /** The reading is over: `/cancel` no longer finds it. */
  end(): void;
}

/**
 * The document readings under way in this process, so that `/cancel` can stop them: aborting a
 * reading's signal stops its queued parts (they leave the quota queue) and its calls under way,
 * and the reading sends nothing more.
 */
export class ReadingsInProgress {
  private readonly readings = new Set<Reading>();

  start(owner: { readonly location: string; readonly authorId: string; readonly documentName: string }, requestSignal: AbortSignal | undefined): ReadingHandle {
    const reading: Reading = { ...owner, controller: new AbortController() };
    this.readings.add(reading);
    const signal = requestSignal === undefined ? reading.controller.signal : AbortSignal.any([requestSignal, reading.controller.signal]);
    setMaxListeners(listenersPerReading, signal);
    return {
      signal,
      get cancelled() {
        return reading.controller.signal.aborted;
      },
      end: () => {
        this.readings.delete(reading);
      },
    };
  }

  /**
   * Stops the readings asked for in this chat: the asker's own, or everyone's for someone who
   * may change the chat's settings. Returns the names of the documents stopped.
   */
  cancel(location: string, authorId: string, mayStopOthers: boolean): readonly string[] {
    const stopped: string[] = [];
    for (const reading of this.readings) {
      if (reading.location !== location || (reading.authorId !== authorId && !mayStopOthers)) continue;
      reading.controller.abort(new ReadingCancelled("stopped with /cancel"));
      this.readings.delete(reading);
      stopped.push(reading.documentName);
    }
    return stopped;
  }

  get size(): number {
    return this.readings.size;
  }
}
