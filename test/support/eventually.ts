/**
 * Waits until `probe` returns something other than undefined (or false), polling every 20 ms,
 * and returns it; fails with `description` after `timeoutMs`. The one polling helper of the
 * suite: tests wait for what they assert, never for a fixed time.
 */
export async function eventually<Value>(
  probe: () => Value | undefined | false | Promise<Value | undefined | false>,
  description: string | (() => string) = "the condition",
  timeoutMs = 15_000,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof description === "string" ? description : description()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
