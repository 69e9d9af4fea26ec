import { DE } from './messages.de';
import { EN } from './messages.en';
import { isLang, translate, type MessageKey } from './i18n';

describe('message catalogues', () => {
  it('has German and English for every key, none left empty', () => {
    expect(Object.keys(EN).sort()).toEqual(Object.keys(DE).sort());
    for (const [key, text] of [...Object.entries(DE), ...Object.entries(EN)])
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(DE) as MessageKey[]) expect({ key, en: names(EN[key]) }).toEqual({ key, en: names(DE[key]) });
  });

  it('translates with parameters, German by default wording', () => {
    expect(translate('de', 'case.title', { reference: 'PS-1' })).toBe('Vorgang PS-1');
    expect(translate('en', 'case.title', { reference: 'PS-1' })).toBe('Case PS-1');
    expect(translate('en', 'age.hours', { n: 3 })).toBe('3 h');
  });

  it('shows an unknown value rather than a key, and knows its languages', () => {
    expect(translate('de', 'channel.fax' as MessageKey)).toBe('fax');
    expect(isLang('de')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(undefined)).toBe(false);
  });
});
