/** Admin UI SDK registration (package `admin-ui-sdk`, action `registration`): menu, page, mass action. */
import { adminUiRegistration } from '../../lib/config/admin-ui';
import { defineWebAction, jsonResponse } from '../../lib/runtime';

export const main = defineWebAction({
  name: 'admin-ui-sdk/registration',
  handle: () => jsonResponse(adminUiRegistration()),
});
