/** The query parameter that carries a build's shortages to the receive page. */
export const SHORTAGES_PARAM = 'shortages';

/** `/receive?mode=many&shortages=<part>:<quantity>,…`: the page starts with these rows. */
export function shortagesLink(shortages: { part: { code: string }; short: number }[]): string {
  const list = shortages.map((s) => `${s.part.code}:${s.short}`).join(',');
  return `/receive?mode=many&${SHORTAGES_PARAM}=${encodeURIComponent(list)}`;
}

export function parseShortages(text: string): { part: string; quantity: number }[] {
  return text
    .split(',')
    .map((item) => item.split(':'))
    .filter(([part, quantity]) => part && Number(quantity) > 0)
    .map(([part, quantity]) => ({ part: part!, quantity: Number(quantity) }));
}
