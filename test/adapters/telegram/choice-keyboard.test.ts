import { describe, expect, it } from "vitest";
import { ChoiceKeyboards } from "../../../src/adapters/telegram/choice-keyboard.js";

describe("choice keyboards", () => {
  it("keeps every callback_data within 64 bytes and maps each button back to its command and asker", () => {
    const keyboards = new ChoiceKeyboards();
    const longModel = "some-vendor/an-extraordinarily-long-model-identifier-that-goes-on-and-on-v2";
    const choices = [
      { label: "auto", command: "/model auto" },
      { label: "role: code", command: "/model code" },
      { label: `model: ${longModel}`, command: `/model ${longModel}` },
    ];
    const keyboard = keyboards.keyboard(choices, "42");
    const buttons = keyboard.inline_keyboard.flat();
    expect(buttons.map((button) => button.text)).toEqual(choices.map((choice) => choice.label));
    for (const [index, button] of buttons.entries()) {
      const data = (button as { callback_data: string }).callback_data;
      expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
      expect(keyboards.choiceOf(data)).toEqual({ command: choices[index]!.command, shownTo: "42" });
    }
    // Short labels share a row; the long model id gets its own.
    expect(keyboard.inline_keyboard.map((row) => row.length)).toEqual([2, 1]);
  });

  it("runs nothing for forged data or another process's buttons, not even a bare command", () => {
    const data = (new ChoiceKeyboards().keyboard([{ label: "code", command: "/model code" }], "42").inline_keyboard[0]![0] as { callback_data: string }).callback_data;
    expect(new ChoiceKeyboards().choiceOf(data)).toBeUndefined();
    expect(new ChoiceKeyboards().choiceOf("something else")).toBeUndefined();
    // Telegram clients can send any callback data: a command in it is not a button of ours.
    expect(new ChoiceKeyboards().choiceOf("/reset")).toBeUndefined();
  });

  it("gives the same command different data for different askers", () => {
    const keyboards = new ChoiceKeyboards();
    const dataFor = (asker: string): string => (keyboards.keyboard([{ label: "auto", command: "/model auto" }], asker).inline_keyboard[0]![0] as { callback_data: string }).callback_data;
    expect(dataFor("1")).not.toBe(dataFor("2"));
    expect(keyboards.choiceOf(dataFor("2"))?.shownTo).toBe("2");
  });
});
