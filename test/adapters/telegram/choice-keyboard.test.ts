import { describe, expect, it } from "vitest";
import { ChoiceKeyboards } from "../../../src/adapters/telegram/choice-keyboard.js";

describe("choice keyboards", () => {
  it("keeps every callback_data within 64 bytes and maps each button back to its command", () => {
    const keyboards = new ChoiceKeyboards();
    const longModel = "some-vendor/an-extraordinarily-long-model-identifier-that-goes-on-and-on-v2";
    const choices = [
      { label: "auto", command: "/model auto" },
      { label: "role: code", command: "/model code" },
      { label: `model: ${longModel}`, command: `/model ${longModel}` },
    ];
    const keyboard = keyboards.keyboard(choices);
    const buttons = keyboard.inline_keyboard.flat();
    expect(buttons.map((button) => button.text)).toEqual(choices.map((choice) => choice.label));
    for (const [index, button] of buttons.entries()) {
      const data = (button as { callback_data: string }).callback_data;
      expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
      expect(keyboards.commandOf(data)).toBe(choices[index]!.command);
    }
    // Short labels share a row; the long model id gets its own.
    expect(keyboard.inline_keyboard.map((row) => row.length)).toEqual([2, 1]);
  });

  it("does not know the hashed buttons of another process, and ignores foreign data", () => {
    const longCommand = `/model ${"x".repeat(80)}`;
    const data = (new ChoiceKeyboards().keyboard([{ label: "x", command: longCommand }]).inline_keyboard[0]![0] as { callback_data: string }).callback_data;
    expect(new ChoiceKeyboards().commandOf(data)).toBeUndefined();
    expect(new ChoiceKeyboards().commandOf("something else")).toBeUndefined();
    // A command that fits travels as it is, so it survives a restart.
    expect(new ChoiceKeyboards().commandOf("/model code")).toBe("/model code");
  });
});
