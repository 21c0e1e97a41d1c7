/** The default catalog of 109 indicators (also exported from ./index.js). */
export { defaultCatalog } from './index.js';
