// Module-level code runs once per isolate, however many modules import this one.
let evaluationCount = 0;
evaluationCount += 1;

export const bName = 'module b';

export function add(x, y) {
  return x + y;
}

export function evaluations() {
  return evaluationCount;
}
