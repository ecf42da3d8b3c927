export { bName, evaluations } from './b.js';
