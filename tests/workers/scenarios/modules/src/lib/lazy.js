import { bName } from '../shared/b.js';

export default `lazy module sees ${bName}`;
