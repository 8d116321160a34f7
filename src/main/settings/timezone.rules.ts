/**
 * The time zone an office's letterhead address points to, offered on first run for the admin to
 * confirm (settings.confirmTimeZone). Only what the address says for sure: a US state or territory
 * with its ZIP code, or a Canadian province with its postal code, on one line; each is given the
 * zone most of it keeps (Texas: Central, Indiana: Indianapolis). Anything else suggests nothing,
 * and the setup asks. Pure.
 */

const US_ZONES: Record<string, string> = {
  CT: 'America/New_York', DE: 'America/New_York', DC: 'America/New_York', FL: 'America/New_York', GA: 'America/New_York',
  ME: 'America/New_York', MD: 'America/New_York', MA: 'America/New_York', NH: 'America/New_York', NJ: 'America/New_York',
  NY: 'America/New_York', NC: 'America/New_York', OH: 'America/New_York', PA: 'America/New_York', RI: 'America/New_York',
  SC: 'America/New_York', VT: 'America/New_York', VA: 'America/New_York', WV: 'America/New_York',
  MI: 'America/Detroit', IN: 'America/Indiana/Indianapolis', KY: 'America/Kentucky/Louisville',
  AL: 'America/Chicago', AR: 'America/Chicago', IL: 'America/Chicago', IA: 'America/Chicago', KS: 'America/Chicago',
  LA: 'America/Chicago', MN: 'America/Chicago', MS: 'America/Chicago', MO: 'America/Chicago', NE: 'America/Chicago',
  ND: 'America/Chicago', OK: 'America/Chicago', SD: 'America/Chicago', TN: 'America/Chicago', TX: 'America/Chicago',
  WI: 'America/Chicago',
  CO: 'America/Denver', MT: 'America/Denver', NM: 'America/Denver', UT: 'America/Denver', WY: 'America/Denver',
  ID: 'America/Boise', AZ: 'America/Phoenix',
  CA: 'America/Los_Angeles', NV: 'America/Los_Angeles', OR: 'America/Los_Angeles', WA: 'America/Los_Angeles',
  AK: 'America/Anchorage', HI: 'Pacific/Honolulu',
  PR: 'America/Puerto_Rico', VI: 'America/St_Thomas', GU: 'Pacific/Guam', AS: 'Pacific/Pago_Pago', MP: 'Pacific/Saipan',
};

const CA_ZONES: Record<string, string> = {
  AB: 'America/Edmonton', BC: 'America/Vancouver', MB: 'America/Winnipeg', NB: 'America/Moncton', NL: 'America/St_Johns',
  NS: 'America/Halifax', NT: 'America/Edmonton', NU: 'America/Iqaluit', ON: 'America/Toronto', PE: 'America/Halifax',
  QC: 'America/Toronto', SK: 'America/Regina', YT: 'America/Whitehorse',
};

/** "Portland, OR 97201", "Portland OR 97201-1234": a state code, then a ZIP code, ending the line. */
const US_LINE = /(?:^|[\s,])([A-Z]{2})\.?\s+\d{5}(?:-\d{4})?$/;
/** "Vancouver, BC V6B 1A1": a province code, then a Canadian postal code, ending the line. */
const CA_LINE = /(?:^|[\s,])([A-Z]{2})\.?\s+[A-Z]\d[A-Z] ?\d[A-Z]\d$/i;

export interface TimeZoneSuggestion {
  timeZone: string;
  /** The address line it comes from, e.g. "Portland, OR 97201". */
  place: string;
}

/** The zone the address points to, from its last line that names a state and ZIP or a province and postal code; null when none does. */
export function timeZoneFromAddress(addressLines: readonly string[]): TimeZoneSuggestion | null {
  for (const raw of [...addressLines].reverse()) {
    const line = raw.trim().replace(/,?\s*(USA|U\.S\.A\.|US|United States|Canada)$/i, '').trim();
    const us = US_LINE.exec(line);
    if (us && US_ZONES[us[1]!]) return { timeZone: US_ZONES[us[1]!]!, place: raw.trim() };
    const ca = CA_LINE.exec(line);
    if (ca && CA_ZONES[ca[1]!.toUpperCase()]) return { timeZone: CA_ZONES[ca[1]!.toUpperCase()]!, place: raw.trim() };
  }
  return null;
}
