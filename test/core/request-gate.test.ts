import { describe, expect, it } from "vitest";
import { RequestGate, type GatePlace } from "../../src/core/request-gate.js";

/** Whether a place's turn has come, checked after the promise callbacks queued so far have run. */
async function started(place: GatePlace): Promise<boolean> {
  let hasStarted = false;
  place.turn.then(
    () => (hasStarted = true),
    () => undefined,
  );
  await new Promise((resolve) => setImmediate(resolve));
  return hasStarted;
}

function placed(gate: RequestGate, user: string, conversation: string, signal?: AbortSignal): GatePlace {
  const place = gate.enter(user, signal);
  if (place === undefined) throw new Error(`${user} was refused a place`);
  place.setConversation(conversation);
  return place;
}

describe("RequestGate", () => {
  it("runs one request per conversation at a time, the next once the first leaves", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 3 });
    const first = placed(gate, "ada", "group:m1");
    const sameConversation = placed(gate, "grace", "group:m1");
    const otherConversation = placed(gate, "linus", "group:m2");

    expect(await started(first)).toBe(true);
    expect(await started(sameConversation)).toBe(false);
    expect(await started(otherConversation)).toBe(true);

    first.leave();
    expect(await started(sameConversation)).toBe(true);
  });

  it("runs one request per user at a time, in the order they came, across conversations", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 3 });
    const order: string[] = [];
    const places = ["m1", "m2", "m3"].map((conversation) => {
      const place = placed(gate, "ada", `group:${conversation}`);
      void place.turn.then(() => order.push(conversation));
      return place;
    });
    await started(places[0]!);
    expect(order).toEqual(["m1"]);
    places[0]!.leave();
    await started(places[1]!);
    places[1]!.leave();
    await started(places[2]!);
    expect(order).toEqual(["m1", "m2", "m3"]);
  });

  it("refuses a user's request beyond one running and the waiting allowance, and takes them again once one ends", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 2 });
    const running = placed(gate, "ada", "private:ada");
    placed(gate, "ada", "private:ada");
    placed(gate, "ada", "private:ada");

    expect(gate.enter("ada")).toBeUndefined();
    expect(gate.enter("grace")).toBeDefined();

    running.leave();
    expect(gate.enter("ada")).toBeDefined();
  });

  it("keeps at most maxRunning running, and starts the oldest waiting request when one ends", async () => {
    const gate = new RequestGate({ maxRunning: 2, maxWaitingPerUser: 3 });
    const first = placed(gate, "a", "a");
    const second = placed(gate, "b", "b");
    const third = placed(gate, "c", "c");
    const fourth = placed(gate, "d", "d");

    expect(gate.running).toBe(2);
    expect(await started(third)).toBe(false);
    second.leave();
    expect(await started(third)).toBe(true);
    expect(await started(fourth)).toBe(false);
    first.leave();
    expect(await started(fourth)).toBe(true);
  });

  it("holds a user's later request behind an earlier one whose conversation is not known yet", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 3 });
    const looking = gate.enter("ada")!;
    const later = placed(gate, "ada", "private:ada");
    const someoneElse = placed(gate, "grace", "private:grace");

    expect(await started(later)).toBe(false);
    expect(await started(someoneElse)).toBe(true);
    looking.setConversation("group:m9");
    expect(await started(looking)).toBe(true);
    expect(await started(later)).toBe(false);
    looking.leave();
    expect(await started(later)).toBe(true);
  });

  it("lets a waiting request go when its signal aborts, freeing its user's place", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 1 });
    const stop = new AbortController();
    const running = placed(gate, "ada", "private:ada");
    const waiting = placed(gate, "ada", "private:ada", stop.signal);
    expect(gate.enter("ada")).toBeUndefined();

    stop.abort(new Error("stopping"));
    await expect(waiting.turn).rejects.toThrow("stopping");
    expect(gate.waitingCount).toBe(0);
    expect(gate.enter("ada")).toBeDefined();
    running.leave();
  });

  it("does not start later requests of a conversation before an earlier waiting one of another user", async () => {
    const gate = new RequestGate({ maxRunning: 10, maxWaitingPerUser: 3 });
    const adaFirst = placed(gate, "ada", "group:m1");
    const graceWaits = placed(gate, "grace", "group:m1");
    const adaElsewhere = placed(gate, "ada", "group:m2");
    const linusInM1 = placed(gate, "linus", "group:m1");

    adaFirst.leave();
    expect(await started(graceWaits)).toBe(true);
    expect(await started(adaElsewhere)).toBe(true);
    expect(await started(linusInM1)).toBe(false);
    graceWaits.leave();
    expect(await started(linusInM1)).toBe(true);
  });

  it("takes every user's place back once their requests leave, however they ended", () => {
    const gate = new RequestGate({ maxRunning: 1, maxWaitingPerUser: 0 });
    for (let round = 0; round < 1_000; round += 1) {
      const place = placed(gate, `user-${round % 7}`, `conversation-${round % 5}`);
      place.leave();
      place.leave();
    }
    expect(gate.running).toBe(0);
    expect(gate.waitingCount).toBe(0);
    expect(gate.enter("user-1")).toBeDefined();
  });
});
