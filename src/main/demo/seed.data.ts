/**
 * Word lists for the demo ledger. Fictional on purpose: emails use the reserved `.example`
 * domain and every phone number uses the 555 exchange, so a demo can never mail or call anyone real.
 */

export const PLACE_WORDS = [
  'Harbor', 'Cedar', 'Willow', 'Maple', 'Granite', 'Riverside', 'Summit', 'Lakeview', 'Pinecrest', 'Oakridge',
  'Bayside', 'Meadow', 'Redwood', 'Silver Creek', 'Stonegate', 'Northgate', 'Westfield', 'Eastside', 'Hillcrest',
  'Sunset', 'Bridgewater', 'Foxglove', 'Juniper', 'Aspen', 'Birchwood', 'Copper', 'Ironwood', 'Lighthouse',
  'Mill Creek', 'Orchard', 'Prairie', 'Quarry', 'Ridgeline', 'Sandpiper', 'Timberline', 'Valley', 'Wildflower',
  'Blue Heron', 'Golden Gate', 'Cascade', 'Columbia', 'Evergreen', 'Hawthorne', 'Laurelhurst', 'Magnolia',
  'Old Town', 'Pearl', 'Rose City', 'Skyline', 'Union', 'Alder', 'Beacon', 'Clearwater', 'Driftwood', 'Elmwood',
  'Fairview', 'Glenwood', 'Heritage', 'Kingsley', 'Linden',
];

export const STREET_WORDS = ['Lane', 'Street', 'Avenue', 'Park', 'Point', 'Square', 'Commons', 'Crossing', 'Plaza', 'Way'];

export const INDUSTRIES = [
  'Dental', 'Veterinary Clinic', 'Family Medicine', 'Chiropractic', 'Physical Therapy', 'Law Group', 'Accounting',
  'Insurance Agency', 'Realty', 'Property Management', 'Landscaping', 'Plumbing', 'Electric', 'Roofing',
  'HVAC Services', 'Auto Repair', 'Bakery', 'Coffee Roasters', 'Brewing', 'Pizzeria', 'Bistro', 'Catering',
  'Yoga Studio', 'Fitness', 'Dance Academy', 'Montessori School', 'Learning Center', 'Printing', 'Signs & Graphics',
  'Architects', 'Engineering', 'Design Studio', 'Photography', 'Florist', 'Hardware', 'Pet Grooming',
  'Cleaning Services', 'Moving & Storage', 'Dry Cleaners', 'Optometry', 'Pharmacy', 'Hair Salon', 'Day Spa',
  'Tailoring', 'Bookkeeping', 'Marketing', 'IT Services', 'Logistics', 'Construction', 'Cabinetry',
];

export const PROFESSIONS = ['Law Group', 'Accounting', 'Architects', 'Dental', 'Associates', 'Partners', 'Engineering', 'Insurance'];

export const COMPANY_SUFFIXES = ['LLC', 'Inc.', 'Co.', 'PC', 'LLP', 'Group', 'Ltd.', ''];

export const SURNAMES = [
  'Nguyen', 'Okafor', 'Lindqvist', 'Patel', 'Hernández', 'Johnson', 'Kowalski', 'Murphy', 'Tanaka', 'Schmidt',
  'García', 'Olsen', 'Rossi', 'Cohen', 'Walker', 'Müller', 'Nuñez', 'Peña', 'Björk', 'Sørensen', 'Dubois', 'Lefèvre',
  'Chen', 'Kim', 'Singh', 'Abernathy', 'Fitzgerald', 'Delgado', 'Moreau', 'Novak', 'Yamamoto', 'Brennan',
  'Castillo', 'Haddad', 'Ivanova', 'Jensen', 'Kaplan', 'Larsen', 'Mendoza', "O'Brien", 'Park', 'Quinn', 'Ramírez',
  'Sato', 'Thompson', 'Underwood', 'Vasquez', 'Whitaker', 'Xu', 'Young', 'Zimmerman', 'Gómez', 'Núñez', 'Åberg',
];

export const FIRST_NAMES = [
  'Maria', 'James', 'Aisha', 'Daniel', 'Sofia', 'Wei', 'Olivia', 'Mateo', 'Priya', 'Liam', 'Chloé', 'Noah',
  'Zoë', 'Ethan', 'Renée', 'Lucas', 'Hannah', 'Diego', 'Fatima', 'Samuel', 'Ingrid', 'Kenji', 'Grace', 'Omar',
  'Isabel', 'Henry', 'Leila', 'Jack', 'Camila', 'Ruth', 'Tomás', 'Nora', 'Andrés', 'Elena', 'Felix', 'Yuki',
  'François', 'Amara', 'Søren', 'Beatriz',
];

export const ADJECTIVES = ['Blue', 'Golden', 'Bright', 'Green', 'Little', 'Happy', 'Urban', 'Coastal', 'Northern', 'True'];
export const NOUNS = ['Fern', 'Otter', 'Sparrow', 'Anchor', 'Lantern', 'Compass', 'Kettle', 'Thistle', 'Badger', 'Acorn'];

/** Names with accents and ligatures, so the accent-insensitive lookup has something to find. */
export const ACCENTED_NAMES = [
  'Café Rouge', 'Crème de la Crème Pâtisserie', 'Señor Jalapeño Cantina', 'La Piñata Party Rentals',
  'Açaí Bowl Bar', 'Brûlée Bakehouse', 'Crêperie du Marché', 'Über Nähwerk Tailors', 'Smørrebrød & Co.',
  'Façade Restoration Inc.', 'Élan Dance Studio', 'Café Olé Roasters', 'Naïve Grocer', 'Déjà Brew Coffee',
  'Sûr Locksmiths', 'Mañana Landscaping', 'Fjällräv Outfitters', 'Ñandú Imports', 'Zoë’s Kitchen Catering',
  'Renée & Chloé Florals',
];

export interface CityInfo {
  city: string;
  region: string;
  /** The first three digits of the city's ZIP codes. */
  zip3: string;
  areaCodes: readonly string[];
  /** Sales tax on taxable lines, in basis points. */
  taxRateBp: number;
}

export const CITIES: readonly CityInfo[] = [
  { city: 'Portland', region: 'OR', zip3: '972', areaCodes: ['503', '971'], taxRateBp: 0 },
  { city: 'Beaverton', region: 'OR', zip3: '970', areaCodes: ['503', '971'], taxRateBp: 0 },
  { city: 'Salem', region: 'OR', zip3: '973', areaCodes: ['503'], taxRateBp: 0 },
  { city: 'Eugene', region: 'OR', zip3: '974', areaCodes: ['541', '458'], taxRateBp: 0 },
  { city: 'Bend', region: 'OR', zip3: '977', areaCodes: ['541'], taxRateBp: 0 },
  { city: 'Vancouver', region: 'WA', zip3: '986', areaCodes: ['360', '564'], taxRateBp: 870 },
  { city: 'Seattle', region: 'WA', zip3: '981', areaCodes: ['206'], taxRateBp: 1035 },
  { city: 'Tacoma', region: 'WA', zip3: '984', areaCodes: ['253'], taxRateBp: 1030 },
  { city: 'Spokane', region: 'WA', zip3: '992', areaCodes: ['509'], taxRateBp: 910 },
  { city: 'Boise', region: 'ID', zip3: '837', areaCodes: ['208', '986'], taxRateBp: 600 },
  { city: 'Sacramento', region: 'CA', zip3: '958', areaCodes: ['916', '279'], taxRateBp: 875 },
  { city: 'Oakland', region: 'CA', zip3: '946', areaCodes: ['510', '341'], taxRateBp: 1075 },
  { city: 'San Diego', region: 'CA', zip3: '921', areaCodes: ['619', '858'], taxRateBp: 775 },
  { city: 'Fresno', region: 'CA', zip3: '937', areaCodes: ['559'], taxRateBp: 835 },
  { city: 'Reno', region: 'NV', zip3: '895', areaCodes: ['775'], taxRateBp: 826 },
  { city: 'Phoenix', region: 'AZ', zip3: '850', areaCodes: ['602', '480'], taxRateBp: 860 },
  { city: 'Tucson', region: 'AZ', zip3: '857', areaCodes: ['520'], taxRateBp: 870 },
  { city: 'Denver', region: 'CO', zip3: '802', areaCodes: ['303', '720'], taxRateBp: 881 },
  { city: 'Salt Lake City', region: 'UT', zip3: '841', areaCodes: ['801', '385'], taxRateBp: 775 },
  { city: 'Albuquerque', region: 'NM', zip3: '871', areaCodes: ['505'], taxRateBp: 788 },
  { city: 'Austin', region: 'TX', zip3: '787', areaCodes: ['512', '737'], taxRateBp: 825 },
  { city: 'Minneapolis', region: 'MN', zip3: '554', areaCodes: ['612'], taxRateBp: 903 },
  { city: 'Madison', region: 'WI', zip3: '537', areaCodes: ['608'], taxRateBp: 550 },
  { city: 'Chicago', region: 'IL', zip3: '606', areaCodes: ['312', '773'], taxRateBp: 1025 },
  { city: 'Columbus', region: 'OH', zip3: '432', areaCodes: ['614', '380'], taxRateBp: 800 },
  { city: 'Pittsburgh', region: 'PA', zip3: '152', areaCodes: ['412'], taxRateBp: 700 },
  { city: 'Burlington', region: 'VT', zip3: '054', areaCodes: ['802'], taxRateBp: 700 },
  { city: 'Portland', region: 'ME', zip3: '041', areaCodes: ['207'], taxRateBp: 550 },
  { city: 'Asheville', region: 'NC', zip3: '288', areaCodes: ['828'], taxRateBp: 700 },
  { city: 'Savannah', region: 'GA', zip3: '314', areaCodes: ['912'], taxRateBp: 700 },
];

export const STREET_NAMES = [
  'Main', 'Oak', 'Pine', 'Cedar', 'Elm', 'Washington', 'Lincoln', 'Jefferson', 'Park', 'Lake', 'Hill', 'Broadway',
  'Division', 'Burnside', 'Hawthorne', 'Alberta', 'Mississippi', 'Belmont', 'Stark', 'Killingsworth', 'Sandy',
  'Foster', 'Powell', 'Holgate', 'Woodstock', 'Fremont', 'Glisan', 'Halsey', 'Couch', 'Everett',
];
export const STREET_TYPES = ['St', 'Ave', 'Blvd', 'Rd', 'Dr', 'Way', 'Ct', 'Pl'];
export const UNIT_KINDS = ['Suite', 'Unit', 'Ste', '#'];

/** Monthly list prices of the service plans, in cents. */
export const PLAN_PRICES_CENTS = [4900, 8900, 12900, 18900, 24900, 39900, 64900, 125000];
export const PLAN_NAMES = ['Essentials', 'Standard', 'Professional', 'Business', 'Premier', 'Enterprise'];

export interface AddOnLine {
  description: string;
  unitPriceCents: number;
  maxQuantity: number;
  taxable: boolean;
}

export const RECURRING_ADD_ONS: readonly AddOnLine[] = [
  { description: 'Additional user seats', unitPriceCents: 950, maxQuantity: 12, taxable: false },
  { description: 'Equipment rental', unitPriceCents: 2500, maxQuantity: 3, taxable: true },
  { description: 'Offsite backup storage (100 GB)', unitPriceCents: 1500, maxQuantity: 4, taxable: false },
  { description: 'Priority support', unitPriceCents: 4900, maxQuantity: 1, taxable: false },
];

export const ONE_OFF_LINES: readonly AddOnLine[] = [
  { description: 'On-site support visit', unitPriceCents: 9500, maxQuantity: 3, taxable: false },
  { description: 'Replacement parts', unitPriceCents: 3475, maxQuantity: 4, taxable: true },
  { description: 'Setup and configuration', unitPriceCents: 15000, maxQuantity: 1, taxable: false },
  { description: 'Training session (per hour)', unitPriceCents: 8500, maxQuantity: 4, taxable: false },
  { description: 'Printed materials', unitPriceCents: 1299, maxQuantity: 10, taxable: true },
];

export const CREDIT_REASONS = [
  'Service outage credit',
  'Billing adjustment: duplicate charge',
  'Goodwill credit',
  'Price match adjustment',
  'Returned equipment',
  'Prepayment on account',
];

export const DISPUTE_REASONS = [
  'Customer says the service was not delivered this period',
  'Amount disputed: customer expected the annual discount',
  'Customer disputes the equipment charge',
  'Waiting for a corrected purchase order number',
];

export const VOID_REASON = 'Issued in error; replaced by a corrected invoice';
export const RETURNED_CHECK_REASON = 'Check returned unpaid (insufficient funds)';

export const NOTES = [
  'Prefers email over phone calls.',
  'Pays by check on the 1st and 15th.',
  'Ask for the office manager when calling.',
  'Purchase order number required on every invoice.',
  'Closed on Mondays.',
];
