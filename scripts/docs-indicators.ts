/** Writes docs/indicators.md from the default catalog (`npm run docs:indicators`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultCatalog, renderIndicatorsDoc } from '../streams/catalog/index.js';

const target = fileURLToPath(new URL('../docs/indicators.md', import.meta.url));
writeFileSync(target, renderIndicatorsDoc(defaultCatalog) + '\n');
console.log(`wrote ${target} (${defaultCatalog.length} indicators)`);
