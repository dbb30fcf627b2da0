// What a test file undoes after each test, last first: one afterEach per file instead of a list and a loop in each.
import { afterEach } from 'vitest';

export type Undo = (step: () => Promise<void> | void) => void;

/** Registers the file's afterEach; each step given to the returned function runs once, after the test it was given in. */
export function undoAfterEach(): Undo {
  const steps: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return (step) => {
    steps.push(step);
  };
}
