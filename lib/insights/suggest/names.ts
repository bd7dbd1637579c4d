/**
 * Field names as words: `billingAddress.postCode`, `postal_code`, `Zip / Postal Code` and
 * `E-mail` are split into lower-case words, abbreviations are spelled out (`qty` → quantity) and
 * known phrases are recognised as concepts (`zip`, `postcode`, `postal_code` → postal code), so
 * two systems' names can be compared the way a person would compare them.
 */

/** Word-level abbreviations and spellings that mean the same word. */
const WORD_ALIASES: Record<string, string> = {
  qty: 'quantity',
  qnty: 'quantity',
  num: 'number',
  no: 'number',
  nbr: 'number',
  nr: 'number',
  '#': 'number',
  addr: 'address',
  desc: 'description',
  descr: 'description',
  amt: 'amount',
  tel: 'phone',
  telephone: 'phone',
  colour: 'color',
  organisation: 'organization',
  zipcode: 'zip',
  postcode: 'postal',
  firstname: 'first',
  lastname: 'last',
  fname: 'first',
  lname: 'last',
  dob: 'birthday',
  sku: 'sku',
  id: 'id',
  ids: 'id',
  lines: 'line',
  items: 'item',
  addresses: 'address',
  prices: 'price',
  taxes: 'tax',
  discounts: 'discount',
  payments: 'payment',
  attributes: 'attribute',
  mail: 'mail',
};

/** Words that qualify a field without changing what it holds (`billing_zip` is a zip). */
export const QUALIFIER_WORDS = new Set(['billing', 'bill', 'shipping', 'ship', 'default', 'primary', 'customer', 'product', 'item', 'order', 'contact', 'main', 'home', 'web', 'store']);

/** Words that name a system rather than the value (`magento_customer_id` holds a customer id). */
const SYSTEM_WORDS = new Set(['magento', 'heartland', 'adobe', 'commerce', 'springboard', 'shopify', 'm2']);

/** Words that carry no meaning for matching (units, currencies, filler). */
const FILLER_WORDS = new Set(['the', 'of', 'a', 'an', 'usd', 'eur', 'gbp', 'cad', 'lb', 'lbs', 'kg', 'g', 'oz', 'custom', 'attribute', 'attributes', 'extension', 'value']);

/**
 * Concepts: phrases (words joined by `_`, after WORD_ALIASES) that name the same thing.
 * The first phrase is the concept's name in reasons.
 */
const CONCEPTS: Record<string, string[]> = {
  email: ['email', 'e_mail', 'email_address', 'mail', 'e_mail_address'],
  first_name: ['first_name', 'first', 'given_name', 'forename'],
  last_name: ['last_name', 'last', 'surname', 'family_name'],
  phone: ['phone', 'phone_number', 'mobile', 'mobile_phone', 'mobile_number', 'cell', 'cell_phone', 'contact_number'],
  postal_code: ['postal_code', 'postal', 'post_code', 'zip', 'zip_code', 'zip_postal_code', 'postal_zip', 'zip_postal'],
  line_1: ['line_1', 'street', 'street_1', 'address_1', 'address_line_1', 'street_address', 'street_line_1', 'address'],
  line_2: ['line_2', 'street_2', 'address_2', 'address_line_2', 'street_line_2', 'apartment', 'suite'],
  city: ['city', 'town', 'locality', 'suburb'],
  state: ['state', 'region', 'province', 'state_province', 'region_code', 'state_code', 'province_code', 'state_region'],
  country: ['country', 'country_id', 'country_code', 'nation'],
  company: ['company', 'company_name', 'organization', 'business', 'business_name'],
  sku: ['sku', 'item_number', 'product_code', 'item_code', 'product_sku', 'variant_sku', 'sku_code', 'style_number', 'article_number'],
  barcode: ['upc', 'barcode', 'ean', 'gtin', 'upc_code', 'bar_code', 'isbn'],
  price: ['price', 'unit_price', 'selling_price', 'sale_price', 'retail_price', 'regular_price'],
  cost: ['cost', 'unit_cost', 'cost_price', 'wholesale_cost', 'supplier_cost', 'wholesale_price'],
  original_price: ['original_price', 'msrp', 'compare_at_price', 'list_price', 'was_price', 'original_unit_price', 'compare_price'],
  quantity: ['quantity', 'quantity_ordered', 'ordered_quantity', 'units', 'count'],
  name: ['name', 'title', 'product_name', 'item_name', 'product_title'],
  description: ['description', 'long_description', 'body', 'body_html', 'details', 'html_description', 'full_description'],
  short_description: ['short_description', 'summary', 'teaser'],
  weight: ['weight', 'shipping_weight', 'gross_weight', 'grams', 'gram', 'pounds', 'ounces', 'kilograms'],
  active: ['active', 'enabled', 'is_active', 'is_enabled'],
  created_at: ['created_at', 'created', 'date_created', 'creation_date', 'created_date', 'created_on', 'order_date', 'date'],
  updated_at: ['updated_at', 'updated', 'modified', 'last_modified', 'date_modified', 'modified_at', 'updated_on'],
  order_number: ['order_number', 'increment', 'increment_id', 'ecommerce_number', 'web_order_number', 'order_reference', 'order_ref', 'ecommerce_order_number'],
  total: ['total', 'grand_total', 'order_total', 'total_amount', 'amount_total', 'total_paid'],
  tax: ['tax', 'tax_amount', 'total_tax', 'sales_tax', 'vat', 'tax_total'],
  shipping_amount: ['shipping_amount', 'shipping_charge', 'shipping_cost', 'freight', 'delivery_charge', 'shipping_fee', 'shipping_price'],
  discount: ['discount', 'discount_amount', 'total_discount', 'total_discounts'],
  birthday: ['birthday', 'birth_date', 'date_of_birth', 'birthdate'],
  brand: ['brand', 'manufacturer', 'make', 'brand_name'],
  color: ['color', 'color_name'],
  size: ['size', 'size_name'],
  customer_number: ['customer_number', 'account_number', 'customer_code', 'member_number', 'customer'],
  customer_id: ['customer_id', 'customer_entity_id'],
  currency: ['currency', 'currency_code', 'order_currency_code', 'order_currency'],
  status: ['status', 'state', 'order_status'],
  newsletter: ['newsletter', 'accepts_marketing', 'email_opt_in', 'opt_in', 'is_subscribed', 'subscribed', 'marketing_opt_in', 'accepts_email_marketing'],
  loyalty_tier: ['loyalty_tier', 'tier', 'loyalty_level', 'membership_level'],
  style_name: ['style_name', 'style', 'parent_name', 'style_description'],
  url_key: ['url_key', 'handle', 'slug', 'url'],
};

const PHRASE_TO_CONCEPT = new Map<string, string>();
for (const [concept, phrases] of Object.entries(CONCEPTS)) for (const phrase of phrases) if (!PHRASE_TO_CONCEPT.has(phrase)) PHRASE_TO_CONCEPT.set(phrase, concept);

/** Splits one name (no dots) into lower-case words: `postCode2` → post, code, 2; `Item #` → item, number. */
export function splitWords(name: string): string[] {
  const spaced = name
    .replace(/#/g, ' # ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2');
  return spaced
    .split(/[^A-Za-z0-9#]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
    .map((word) => WORD_ALIASES[word] ?? word);
}

/** Plural and alias forms folded so `addresses` and `address` compare equal. */
function foldWord(word: string): string {
  if (WORD_ALIASES[word]) return WORD_ALIASES[word];
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

export interface NameParts {
  /** The last segment as written (`postcode`, `street[0]`). */
  leaf: string;
  /** Meaningful words of the leaf, with qualifiers kept. */
  leafWords: string[];
  /** Words of the leaf phrase without qualifiers and system names (`billing_zip` → zip). */
  coreWords: string[];
  /** Words of the enclosing segments: where the field lives (`billing_address`, `items`). */
  contextWords: string[];
  /** Leading qualifiers taken off the leaf (`billing` of `billing_zip`): they tell places apart. */
  qualifierWords: string[];
  /** Only the ending of the name is known (`Variant Grams`): weaker evidence than a whole known name. */
  headNounOnly: boolean;
}

/**
 * Splits a dotted path (`addresses[].street[0]`, `custom.style_name`) into its leaf and context.
 * An array index on a list of scalars is a position, so `street[0]` reads as "street 1".
 */
export function nameParts(path: string, options: { headNoun?: boolean } = {}): NameParts {
  const segments = path.split('.').filter(Boolean);
  const rawLeaf = segments[segments.length - 1] ?? path;
  const indexed = /^(.*)\[(\d+)\]$/.exec(rawLeaf);
  const leafText = indexed ? `${indexed[1]} ${Number(indexed[2]) + 1}` : rawLeaf.replace(/\[\]$/, '');
  const leafWords = splitWords(leafText).filter((w) => !FILLER_WORDS.has(w));
  const context = segments
    .slice(0, -1)
    .flatMap((segment) => splitWords(segment.replace(/\[\d*\]/g, '')))
    .map(foldWord)
    .filter((w) => !FILLER_WORDS.has(w) && !SYSTEM_WORDS.has(w));
  let core = leafWords.filter((w) => !SYSTEM_WORDS.has(w));
  const stripped: string[] = [];
  // Drop leading qualifiers only while something meaningful remains ("customer" alone stays).
  while (core.length > 1 && QUALIFIER_WORDS.has(core[0]) && !PHRASE_TO_CONCEPT.has(core.join('_'))) {
    stripped.push(core[0]);
    core = core.slice(1);
  }
  // Export headers put the thing last ("Default Address Zip", "Variant Compare At Price"): when the
  // whole phrase is unknown, the longest known ending names the field and the rest qualifies it.
  let headNounOnly = false;
  if (options.headNoun && core.length > 1 && !PHRASE_TO_CONCEPT.has(core.join('_'))) {
    const collapsed = core.filter((word, i) => word !== core[i - 1]);
    for (let start = collapsed.length === core.length ? 1 : 0; start < collapsed.length; start++) {
      if (PHRASE_TO_CONCEPT.has(collapsed.slice(start).join('_'))) {
        stripped.push(...collapsed.slice(0, start));
        core = collapsed.slice(start);
        headNounOnly = collapsed.slice(0, start).some((word) => !QUALIFIER_WORDS.has(word) && word !== 'address');
        break;
      }
    }
  }
  return { leaf: rawLeaf, leafWords, coreWords: core.length ? core : leafWords, contextWords: context, qualifierWords: stripped.map(foldWord), headNounOnly };
}

/** The concept a phrase names, if it is a known one. */
export function conceptOf(words: string[]): string | undefined {
  return PHRASE_TO_CONCEPT.get(words.join('_'));
}

/** Human name for a concept in reasons (`postal_code` → "postal code"). */
export function conceptLabel(concept: string): string {
  return concept.replace(/_/g, ' ');
}

/** Sørensen–Dice similarity of two word sets, after folding plurals; 0 when either is empty. */
export function wordOverlap(a: string[], b: string[]): { score: number; shared: string[] } {
  const left = new Set(a.map(foldWord));
  const right = new Set(b.map(foldWord));
  if (left.size === 0 || right.size === 0) return { score: 0, shared: [] };
  const shared = [...left].filter((w) => right.has(w));
  return { score: (2 * shared.length) / (left.size + right.size), shared };
}

/** How well two places agree (`billing_address` vs `addresses[]`): 1 when both are top level. */
export function contextAgreement(a: string[], b: string[]): number {
  // An order-level amount is never a line amount and the other way round.
  const aLine = a.map(sameContextWord).includes('line');
  const bLine = b.map(sameContextWord).includes('line');
  if (aLine !== bLine) return 0;
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0.5;
  const { score } = wordOverlap(a.map(sameContextWord), b.map(sameContextWord));
  return 0.5 + score / 2;
}

/** Order lines are `items` in Magento and `lines` in Heartland; bill/ship are billing/shipping. */
function sameContextWord(word: string): string {
  const folded = foldWord(word);
  if (folded === 'item' || folded === 'line') return 'line';
  if (folded === 'bill') return 'billing';
  if (folded === 'ship') return 'shipping';
  return folded;
}
