/**
 * Region names and codes for the countries whose addresses carry a state or province code.
 * Magento sends both `region` ("New York") and `region_code` ("NY"); Heartland keeps one `state`
 * field that may hold either (heartland.md §3.2), so the canonical address keeps both and the
 * mappers fill in whichever side is missing from this table. Other countries pass through as given.
 */

const US: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia',
  HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas',
  KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts',
  MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico',
  NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma',
  OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota',
  TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', PR: 'Puerto Rico', GU: 'Guam',
  VI: 'Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
  AA: 'Armed Forces Americas', AE: 'Armed Forces Europe', AP: 'Armed Forces Pacific',
};

const CA: Record<string, string> = {
  AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador', NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut',
  ON: 'Ontario', PE: 'Prince Edward Island', QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
};

const AU: Record<string, string> = {
  ACT: 'Australian Capital Territory', NSW: 'New South Wales', NT: 'Northern Territory',
  QLD: 'Queensland', SA: 'South Australia', TAS: 'Tasmania', VIC: 'Victoria', WA: 'Western Australia',
};

const REGIONS: Record<string, Record<string, string>> = { US, CA, AU };

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

/** Both forms of a region, from whichever one is known. Unknown countries keep what they had. */
export function resolveRegion(
  country: string,
  region: string | null | undefined,
  regionCode: string | null | undefined,
): { region: string | null; regionCode: string | null } {
  const table = REGIONS[country];
  const name = region?.trim() || null;
  const code = regionCode?.trim() || null;
  if (!table) return { region: name, regionCode: code };
  if (code && table[code.toUpperCase()]) return { region: name ?? table[code.toUpperCase()], regionCode: code.toUpperCase() };
  if (name) {
    if (table[name.toUpperCase()]) return { region: table[name.toUpperCase()], regionCode: name.toUpperCase() };
    const match = Object.entries(table).find(([, n]) => fold(n) === fold(name));
    if (match) return { region: match[1], regionCode: match[0] };
  }
  return { region: name, regionCode: code };
}

/** Country names seen in Heartland data (`country` = ISO-2 or name, §3.2) → ISO 3166-1 alpha-2. */
const COUNTRY_NAMES: Record<string, string> = {
  'united states': 'US', 'united states of america': 'US', usa: 'US', 'u.s.a.': 'US', 'u.s.': 'US', america: 'US',
  canada: 'CA', mexico: 'MX', 'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB',
  ireland: 'IE', germany: 'DE', deutschland: 'DE', france: 'FR', spain: 'ES', espana: 'ES', italy: 'IT',
  netherlands: 'NL', belgium: 'BE', switzerland: 'CH', austria: 'AT', sweden: 'SE', norway: 'NO',
  denmark: 'DK', finland: 'FI', poland: 'PL', portugal: 'PT', australia: 'AU', 'new zealand': 'NZ',
  japan: 'JP', china: 'CN', 'hong kong': 'HK', singapore: 'SG', india: 'IN', brazil: 'BR',
  'south korea': 'KR', korea: 'KR', 'puerto rico': 'PR', iceland: 'IS', greece: 'GR', turkey: 'TR',
  israel: 'IL', 'south africa': 'ZA', argentina: 'AR', chile: 'CL', colombia: 'CO', peru: 'PE',
};

const ISO3: Record<string, string> = { USA: 'US', CAN: 'CA', MEX: 'MX', GBR: 'GB', DEU: 'DE', FRA: 'FR', AUS: 'AU', JPN: 'JP' };

/** ISO-2 country code from a code or a name; undefined when it cannot be told. */
export function countryCode(input: string | null | undefined): string | undefined {
  const text = input?.trim();
  if (!text) return undefined;
  if (/^[A-Za-z]{2}$/.test(text)) return text.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(text) && ISO3[text.toUpperCase()]) return ISO3[text.toUpperCase()];
  return COUNTRY_NAMES[fold(text)];
}
