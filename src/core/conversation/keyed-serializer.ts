/**
 * Runs tasks with the same key one after another. The store is read-modify-write for history
 * and usage, so two answers finishing together in one conversation (two quick DMs on Discord)
 * would otherwise lose one exchange. Within one process this closes the race; across processes
 * sharing Redis it stays possible but needs two answers in the same conversation at the same
 * millisecond.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<Value>(key: string, task: () => Promise<Value>): Promise<Value> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
