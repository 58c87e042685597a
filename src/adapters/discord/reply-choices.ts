/**
 * A final reply may offer choices (`/model` lists what can be pinned). Discord shows them as the
 * commands to type; the `/model` option's autocomplete offers the same list while typing.
 */
import type { ReplyStream } from "../../core/reply.js";

export async function* withChoicesAsCommands(stream: ReplyStream): ReplyStream {
  for await (const event of stream) {
    if (event.type !== "final" || event.reply.choices === undefined || event.reply.choices.length === 0) {
      yield event;
      continue;
    }
    const commands = event.reply.choices.map((choice) => `\`${choice.command}\``).join(" · ");
    yield { ...event, reply: { ...event.reply, text: `${event.reply.text}\n${commands}` } };
  }
}
