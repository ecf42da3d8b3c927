import { add, bName } from '../shared/b.js';

export const aName = 'module a';

export function callB(x, y) {
  return `${bName}: ${add(x, y)}`;
}

export default function describeA() {
  return `${aName} imports ${bName}`;
}
