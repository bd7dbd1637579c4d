/**
 * Gift card accounts, SaaS shape (commerce.md §2.12): `/V1/giftcardaccounts`. The simulator serves
 * them on the PaaS paths too (ASSUMED: a PaaS Adobe Commerce store with an extension exposing the
 * same contract), so the gift card flow can run in the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { bodyObject, pathId, requiredObject, toNumber, toText, type RequestContext, type SimCore } from './context';
import { inputError, noSuchEntity } from './errors';
import { magentoTime, money, type Rec } from './state';

function getAccount(sim: SimCore, id: number): Rec {
  const account = sim.store.state.giftcards[id];
  if (!account) throw noSuchEntity('id', id);
  return account;
}

function validate(sim: SimCore, input: Rec, existing?: Rec): Rec {
  if ('website_id' in input) throw inputError('"%fieldName" is not allowed: the website comes from the Store header.', { fieldName: 'website_id' });
  const out: Rec = {};
  if (input.code !== undefined) {
    const code = toText(input.code, 'giftcardAccount.code', true)!.trim();
    const clash = Object.values(sim.store.state.giftcards).find((g) => g.code.toLowerCase() === code.toLowerCase() && g.account_id !== existing?.account_id);
    if (clash) throw inputError('Gift card account with code "%1" already exists.', [code]); // ASSUMED wording
    out.code = code;
  }
  if (input.balance !== undefined) out.balance = money(toNumber(input.balance, 'giftcardAccount.balance', { min: 0 })!);
  for (const f of ['status', 'is_redeemable']) if (input[f] !== undefined) out[f] = toNumber(input[f], `giftcardAccount.${f}`, { integer: true, min: 0 });
  if (input.state !== undefined) {
    const state = toNumber(input.state, 'giftcardAccount.state', { integer: true, min: 0 })!;
    if (state > 3) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'giftcardAccount.state', value: String(state) });
    out.state = state;
  }
  if (input.date_expires !== undefined) {
    if (input.date_expires !== null && !/^\d{4}-\d{2}-\d{2}/.test(String(input.date_expires))) {
      throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'giftcardAccount.date_expires', value: String(input.date_expires) });
    }
    out.date_expires = input.date_expires;
  }
  return out;
}

function emit(sim: SimCore, account: Rec) {
  sim.emit('observer.magento_giftcardaccount_save_commit_after', { ...account, giftcardaccount_id: account.account_id, website_id: account.website_id });
  sim.store.changed();
}

export function createGiftCardAccount(ctx: RequestContext, sim: SimCore): Rec {
  const input = validate(sim, requiredObject(bodyObject(ctx), 'giftcardAccount'));
  if (input.balance === undefined) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'giftcardAccount.balance' });
  const id = sim.store.next('giftcardaccount');
  const account: Rec = {
    account_id: id,
    code: input.code ?? randomBytes(6).toString('hex').toUpperCase().replace(/(.{4})(?=.)/g, '$1-'),
    balance: input.balance,
    status: input.status ?? 1,
    state: input.state ?? 0,
    is_redeemable: input.is_redeemable ?? 1,
    date_expires: input.date_expires ?? null,
    date_created: magentoTime(sim.now()).slice(0, 10),
    website_id: 1,
  };
  sim.store.state.giftcards[id] = account;
  emit(sim, account);
  return account;
}

export function updateGiftCardAccount(ctx: RequestContext, sim: SimCore): Rec {
  const account = getAccount(sim, pathId(ctx, 'id'));
  Object.assign(account, validate(sim, requiredObject(bodyObject(ctx), 'giftcardAccount'), account));
  emit(sim, account);
  return account;
}

export const readGiftCardAccount = (ctx: RequestContext, sim: SimCore) => getAccount(sim, pathId(ctx, 'id'));

export function readGiftCardAccountByCode(ctx: RequestContext, sim: SimCore): Rec {
  const code = (ctx.params.code ?? '').toLowerCase();
  const account = Object.values(sim.store.state.giftcards).find((g) => g.code.toLowerCase() === code);
  if (!account) throw noSuchEntity('code', ctx.params.code);
  return account;
}

export function deleteGiftCardAccount(ctx: RequestContext, sim: SimCore): boolean {
  const account = getAccount(sim, pathId(ctx, 'id'));
  delete sim.store.state.giftcards[account.account_id];
  sim.store.changed();
  return true;
}
