/**
 * What the connector adds to the Commerce admin through the Admin UI SDK v1 (commerce.md §5.2):
 * a menu section with one page, and an order-grid mass action to resend orders to Heartland.
 * Commerce reads this from the `admin-ui-sdk/registration` action.
 */

/** Must equal the id the panel passes to `register()` from @adobe/uix-guest. Allowed: `[a-zA-Z0-9/:_]`. */
export const ADMIN_UI_EXTENSION_ID = 'heartland_commerce_connector';

export interface AdminUiMenuItem {
  id: string;
  title: string;
  isSection?: boolean;
  parent?: string;
  sortOrder: number;
}

export interface AdminUiMassAction {
  actionId: string;
  label: string;
  title?: string;
  path: string;
  confirm?: { title: string; message: string };
}

export interface AdminUiRegistration {
  registration: {
    menuItems: AdminUiMenuItem[];
    page: { title: string };
    order: { massActions: AdminUiMassAction[] };
  };
}

export function adminUiRegistration(): AdminUiRegistration {
  const id = ADMIN_UI_EXTENSION_ID;
  return {
    registration: {
      menuItems: [
        { id: `${id}::apps`, title: 'Heartland Retail', isSection: true, sortOrder: 100 },
        { id: `${id}::connector`, title: 'Heartland Connector', parent: `${id}::apps`, sortOrder: 1 },
      ],
      page: { title: 'Heartland Commerce Connector' },
      order: {
        massActions: [
          {
            actionId: `${id}::resend-to-heartland`,
            label: 'Resend to Heartland',
            title: 'Resend orders to Heartland',
            // The panel route that receives `selectedIds` from the mass-action shared context.
            path: '#/orders/resend',
            confirm: {
              title: 'Resend to Heartland',
              message: 'Send the selected orders to Heartland Retail again? Orders already there are updated, not duplicated.',
            },
          },
        ],
      },
    },
  };
}
