import type { IndicatorDef } from "./types.js";
export const extraCatalog: IndicatorDef[] = [];
