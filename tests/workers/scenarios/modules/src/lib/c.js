import { evaluations } from '../shared/b.js';

export const cName = 'module c';
// Captured at c's evaluation time: b has already been evaluated exactly once.
export const counterSeenByC = evaluations();
