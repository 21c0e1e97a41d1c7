/** The catalog: the default 109 indicators and their validation. */
import { coreCatalog } from './core.js';
import { extraCatalog } from './extra.js';
import type { IndicatorDef } from './types.js';

export * from './types.js';
export { validateCatalog, validateDef } from './validate.js';
export { inputsOf, type IndicatorInputs } from './inputs.js';
export { renderIndicatorsDoc, describeParams } from './docs.js';

/** The default catalog: the core eleven first, then the others; each entry is version 1. */
export const defaultCatalog: IndicatorDef[] = [...coreCatalog, ...extraCatalog];
export { coreCatalog, extraCatalog };
