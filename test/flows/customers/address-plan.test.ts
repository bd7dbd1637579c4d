import { describe, expect, it } from 'vitest';
import { planAddresses } from '../../../lib/flows/customers/address-plan';

const home = ['Ann', 'Lee', '', '1 Main St', '', 'Boston', 'MA', '02127', 'US', '5552010100'];
const work = ['Ann', 'Lee', 'Acme', '9 Dock Rd', '', 'Boston', 'MA', '02110', 'US', '5552010100'];
const moved = ['Ann', 'Lee', '', '2 Main St', '', 'Boston', 'MA', '02127', 'US', '5552010100'];

describe('planAddresses', () => {
  it('keeps addresses found by content whatever their order', () => {
    expect(planAddresses([work, home], [home, work])).toEqual([
      { wanted: 0, action: 'keep', target: 1 },
      { wanted: 1, action: 'keep', target: 0 },
    ]);
  });

  it('an edited address is updated in place; a new one is added; extra ones on the target stay', () => {
    expect(planAddresses([home, work], [moved])).toEqual([{ wanted: 0, action: 'update', target: 0 }]);
    expect(planAddresses([home], [home, work])).toEqual([
      { wanted: 0, action: 'keep', target: 0 },
      { wanted: 1, action: 'create' },
    ]);
  });

  it('does not overwrite a target address that another wanted address matches', () => {
    // wanted[0] is new, wanted[1] is the target's first address: the new one is added, not written over it.
    expect(planAddresses([home], [work, home])).toEqual([
      { wanted: 0, action: 'create' },
      { wanted: 1, action: 'keep', target: 0 },
    ]);
  });
});
