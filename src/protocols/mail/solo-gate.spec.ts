import { SoloGate } from './solo-gate';

const settled = () => new Promise((r) => setImmediate(r));

describe('SoloGate', () => {
  it('lets shared work run side by side', async () => {
    const gate = new SoloGate();
    const a = await gate.enter(false);
    const b = await gate.enter(false);
    a();
    b();
  });

  it('starts solo work once the running work has ended, and holds later work behind it', async () => {
    const gate = new SoloGate();
    const order: string[] = [];
    const shared = await gate.enter(false);
    const solo = gate.enter(true).then((leave) => (order.push('solo'), leave));
    const later = gate.enter(false).then((leave) => (order.push('later'), leave));
    await settled();
    expect(order).toEqual([]);
    shared();
    const leaveSolo = await solo;
    await settled();
    expect(order).toEqual(['solo']);
    leaveSolo();
    (await later)();
    expect(order).toEqual(['solo', 'later']);
  });

  it('counts a second leave of the same work once', async () => {
    const gate = new SoloGate();
    const a = await gate.enter(false);
    const b = await gate.enter(false);
    a();
    a();
    let soloIn = false;
    const solo = gate.enter(true).then((leave) => ((soloIn = true), leave));
    await settled();
    expect(soloIn).toBe(false);
    b();
    (await solo)();
    expect(soloIn).toBe(true);
  });
});
