/**
 * A test's clock: real time plus however far the test has moved it. Tests move it instead of
 * sleeping: `advance(1)` between two writes gives them distinct, ordered times (FIFO picking,
 * "newest first", `updatedAt` after `createdAt`). It never runs behind real time, so whatever
 * still reads the real time (cookies, the HTTP layer) sees nothing from the past.
 */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  clock.advance = (ms: number) => {
    offset += ms;
  };
  return clock;
}
