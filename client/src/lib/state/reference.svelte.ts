/** Reference data and the indicator catalog, loaded once per login, for names in both languages. */
import { request, type IndicatorListItem } from '../api';
import { i18n } from './i18n.svelte';

export interface Bureau { code: string; name: string; name_en: string }
export interface Officer { id: string; name: string; bureau: string; level: number; role: string }
export interface Matter { code: string; name: string; name_en: string; category: string; platform: string; power: boolean }
/** An indicator of the catalog with its hit counts (the contract's GET /api/indicators item). */
export type IndicatorInfo = IndicatorListItem;

class Reference {
  bureaus = $state.raw<Bureau[]>([]);
  officers = $state.raw<Map<string, Officer>>(new Map());
  matters = $state.raw<Map<string, Matter>>(new Map());
  indicators = $state.raw<IndicatorInfo[]>([]);
  loaded = $state(false);
  // Reactive so that names already on screen re-render when the data arrives.
  private bureauMap = $state.raw(new Map<string, Bureau>());
  private indicatorMap = $state.raw(new Map<string, IndicatorInfo>());

  async load() {
    const [ref, cat] = await Promise.all([
      request('GET /api/reference'),
      request('GET /api/indicators').catch(() => ({ indicators: [] })),
    ]);
    this.bureauMap = new Map(ref.bureaus.map((b) => [b.code, b]));
    this.bureaus = ref.bureaus.filter((b) => b.code !== 'HQ');
    this.officers = new Map(ref.officers.map((o) => [o.id, o]));
    this.matters = new Map(ref.matters.map((m) => [m.code, m]));
    this.setIndicators(cat.indicators);
    this.loaded = true;
  }

  setIndicators(list: IndicatorInfo[]) {
    this.indicators = list;
    this.indicatorMap = new Map(list.map((d) => [d.id, d]));
  }

  bureauName = (code: string | null | undefined): string => {
    if (!code) return '—';
    const b = this.bureauMap.get(code);
    return b ? (i18n.lang === 'zh' ? b.name : b.name_en) : code;
  };
  matterName = (code: string | null | undefined): string => {
    if (!code) return '—';
    const m = this.matters.get(code);
    return m ? (i18n.lang === 'zh' ? m.name : m.name_en) : code;
  };
  officerName = (id: string | null | undefined): string => {
    if (!id) return '—';
    const o = this.officers.get(id);
    // Officer names are Chinese in both languages; the id disambiguates.
    return o ? `${o.name} (${id})` : id;
  };
  indicatorName = (id: string | null | undefined): string => {
    if (!id) return '—';
    const d = this.indicatorMap.get(id);
    return d ? `${id} ${i18n.pick(d.name)}` : id;
  };
}

export const reference = new Reference();
