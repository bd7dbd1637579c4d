/**
 * The REST route table: method, `/V1/…` template, the ACL resource Magento would check (ASSUMED
 * names for 2.4, commerce.md §6), the service topic used by async/bulk, and the handler.
 */
import { bulkDetailedStatus, bulkOperationCount, bulkStatus } from './bulk';
import { createProduct, deleteProduct, productSearchRows, readProduct, readStockItem, renderProduct, updateProduct, updateStockItem } from './catalog';
import type { Handler, RequestContext, SimCore } from './context';
import { createCustomer, defaultAddress, deleteCustomer, readCustomer, readCustomerAddress, updateCustomer } from './customers';
import { entityNotFound } from './errors';
import { listSubscriptions, subscribe, unsubscribe, updateConfiguration, updateSubscription } from './eventing';
import { createGiftCardAccount, deleteGiftCardAccount, readGiftCardAccount, readGiftCardAccountByCode, updateGiftCardAccount } from './giftcards';
import { createSource, deleteSourceItems, getSalableQty, isSalable, isSalableForQty, readSource, readStock, saveSourceItems, sourceItemRows, updateSource } from './inventory';
import {
  addOrderComment,
  addShipmentTrack,
  captureInvoice,
  saveOrderAddress,
  voidInvoice,
  cancelOrder,
  deleteShipmentTrack,
  getOrder,
  holdOrder,
  invoiceOrder,
  refundInvoice,
  refundOrder,
  renderOrder,
  saveOrder,
  shipOrder,
  unholdOrder,
} from './sales';
import { echoCriteria, parseSearchCriteria, search, type SearchCriteria } from './search';
import { pathId } from './context';
import type { Rec } from './state';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  segments: string[];
  acl: string;
  topic: string;
  handler: Handler;
}

const routes: Route[] = [];
function route(method: Route['method'], template: string, acl: string, topic: string, handler: Handler) {
  routes.push({ method, template, segments: template.split('/').filter(Boolean), acl, topic, handler });
}

function searchOf(rows: (sim: SimCore, criteria: SearchCriteria) => Iterable<Rec>, render: (sim: SimCore, row: Rec) => Rec = (_s, r) => r): Handler {
  return (ctx: RequestContext, sim: SimCore) => {
    const criteria = parseSearchCriteria(ctx.query);
    const page = search(rows(sim, criteria), criteria);
    return { items: page.items.map((r) => render(sim, r)), search_criteria: echoCriteria(criteria), total_count: page.total_count };
  };
}

/** A search restricted to a single `sku eq|in` filter can use the per-SKU index. */
function skuHint(criteria: SearchCriteria): string[] | undefined {
  for (const group of criteria.filter_groups) {
    if (group.filters.length === 1 && group.filters[0]!.field === 'sku' && ['eq', 'in'].includes(group.filters[0]!.condition_type)) {
      return group.filters[0]!.value.split(',').map((s) => s.trim());
    }
  }
  return undefined;
}

const byId = (collection: 'invoices' | 'shipments' | 'creditmemos', name: string): Handler => (ctx, sim) => {
  const doc = sim.store.state[collection][pathId(ctx, name)];
  if (!doc) throw entityNotFound();
  return doc;
};

// Sales
route('GET', '/V1/orders', 'Magento_Sales::actions_view', 'magento.sales.api.orderrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.orders), (_sim, o) => renderOrder(o)));
route('GET', '/V1/orders/items', 'Magento_Sales::actions_view', 'magento.sales.api.orderitemrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.orders).flatMap((o) => o.items)));
route('GET', '/V1/orders/items/:id', 'Magento_Sales::actions_view', 'magento.sales.api.orderitemrepositoryinterface.get', (ctx, sim) => {
  const id = pathId(ctx, 'id');
  for (const o of Object.values(sim.store.state.orders)) {
    const item = (o.items as Rec[]).find((i) => i.item_id === id);
    if (item) return item;
  }
  throw entityNotFound();
});
route('GET', '/V1/orders/:id', 'Magento_Sales::actions_view', 'magento.sales.api.orderrepositoryinterface.get', (ctx, sim) => renderOrder(getOrder(sim, pathId(ctx, 'id'))));
route('POST', '/V1/orders', 'Magento_Sales::create', 'magento.sales.api.orderrepositoryinterface.save', saveOrder);
route('PUT', '/V1/orders/create', 'Magento_Sales::create', 'magento.sales.api.orderrepositoryinterface.save', saveOrder);
route('POST', '/V1/orders/:id/cancel', 'Magento_Sales::cancel', 'magento.sales.api.ordermanagementinterface.cancel', cancelOrder);
route('POST', '/V1/orders/:id/hold', 'Magento_Sales::hold', 'magento.sales.api.ordermanagementinterface.hold', holdOrder);
route('POST', '/V1/orders/:id/unhold', 'Magento_Sales::unhold', 'magento.sales.api.ordermanagementinterface.unhold', unholdOrder);
route('POST', '/V1/orders/:id/emails', 'Magento_Sales::emails', 'magento.sales.api.ordermanagementinterface.notify', (ctx, sim) => (getOrder(sim, pathId(ctx, 'id')), true));
route('GET', '/V1/orders/:id/statuses', 'Magento_Sales::actions_view', 'magento.sales.api.ordermanagementinterface.getstatus', (ctx, sim) => getOrder(sim, pathId(ctx, 'id')).status);
route('GET', '/V1/orders/:id/comments', 'Magento_Sales::actions_view', 'magento.sales.api.ordermanagementinterface.getcommentslist', (ctx, sim) => {
  const items = getOrder(sim, pathId(ctx, 'id')).status_histories as Rec[];
  return { items, search_criteria: { filter_groups: [] }, total_count: items.length };
});
route('POST', '/V1/orders/:id/comments', 'Magento_Sales::comment', 'magento.sales.api.ordermanagementinterface.addcomment', addOrderComment);
route('POST', '/V1/order/:orderId/invoice', 'Magento_Sales::sales_invoice', 'magento.sales.api.invoiceorderinterface.execute', invoiceOrder);
route('POST', '/V1/order/:orderId/ship', 'Magento_Sales::ship', 'magento.sales.api.shiporderinterface.execute', shipOrder);
route('POST', '/V1/order/:orderId/refund', 'Magento_Sales::creditmemo', 'magento.sales.api.refundorderinterface.execute', refundOrder);
route('POST', '/V1/invoice/:invoiceId/refund', 'Magento_Sales::creditmemo', 'magento.sales.api.refundinvoiceinterface.execute', refundInvoice);
route('GET', '/V1/invoices', 'Magento_Sales::sales_invoice', 'magento.sales.api.invoicerepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.invoices)));
route('POST', '/V1/invoices/:id/capture', 'Magento_Sales::sales_invoice', 'magento.sales.api.invoicemanagementinterface.setcapture', captureInvoice);
route('POST', '/V1/invoices/:id/void', 'Magento_Sales::sales_invoice', 'magento.sales.api.invoicemanagementinterface.setvoid', voidInvoice);
route('PUT', '/V1/orders/:parent_id', 'Magento_Sales::actions_edit', 'magento.sales.api.orderaddressrepositoryinterface.save', saveOrderAddress);
route('GET', '/V1/invoices/:id', 'Magento_Sales::sales_invoice', 'magento.sales.api.invoicerepositoryinterface.get', byId('invoices', 'id'));
route('GET', '/V1/shipments', 'Magento_Sales::shipment', 'magento.sales.api.shipmentrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.shipments)));
route('GET', '/V1/shipment/:id', 'Magento_Sales::shipment', 'magento.sales.api.shipmentrepositoryinterface.get', byId('shipments', 'id'));
route('POST', '/V1/shipment/track', 'Magento_Sales::ship', 'magento.sales.api.shipmenttrackrepositoryinterface.save', addShipmentTrack);
route('DELETE', '/V1/shipment/track/:id', 'Magento_Sales::ship', 'magento.sales.api.shipmenttrackrepositoryinterface.deletebyid', deleteShipmentTrack);
route('GET', '/V1/creditmemos', 'Magento_Sales::creditmemo', 'magento.sales.api.creditmemorepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.creditmemos)));
route('GET', '/V1/creditmemo/:id', 'Magento_Sales::creditmemo', 'magento.sales.api.creditmemorepositoryinterface.get', byId('creditmemos', 'id'));

// Customers
route('GET', '/V1/customers/search', 'Magento_Customer::customer', 'magento.customer.api.customerrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.customers)));
route('GET', '/V1/customers/addresses/:addressId', 'Magento_Customer::customer', 'magento.customer.api.addressrepositoryinterface.getbyid', readCustomerAddress);
route('POST', '/V1/customers', 'Magento_Customer::manage', 'magento.customer.api.accountmanagementinterface.createaccount', createCustomer);
route('GET', '/V1/customers/:customerId', 'Magento_Customer::customer', 'magento.customer.api.customerrepositoryinterface.getbyid', readCustomer);
route('PUT', '/V1/customers/:customerId', 'Magento_Customer::manage', 'magento.customer.api.customerrepositoryinterface.save', updateCustomer);
route('DELETE', '/V1/customers/:customerId', 'Magento_Customer::delete', 'magento.customer.api.customerrepositoryinterface.deletebyid', deleteCustomer);
route('GET', '/V1/customers/:customerId/billingAddress', 'Magento_Customer::customer', 'magento.customer.api.accountmanagementinterface.getdefaultbillingaddress', defaultAddress('billing'));
route('GET', '/V1/customers/:customerId/shippingAddress', 'Magento_Customer::customer', 'magento.customer.api.accountmanagementinterface.getdefaultshippingaddress', defaultAddress('shipping'));

// Catalog
route('GET', '/V1/products', 'Magento_Catalog::products', 'magento.catalog.api.productrepositoryinterface.getlist', searchOf((sim) => productSearchRows(sim), (sim, row) => renderProduct(sim, sim.store.state.products[row.sku]!)));
route('POST', '/V1/products', 'Magento_Catalog::products', 'magento.catalog.api.productrepositoryinterface.save', createProduct);
route('GET', '/V1/products/:sku', 'Magento_Catalog::products', 'magento.catalog.api.productrepositoryinterface.get', readProduct);
route('PUT', '/V1/products/:sku', 'Magento_Catalog::products', 'magento.catalog.api.productrepositoryinterface.save', updateProduct);
route('DELETE', '/V1/products/:sku', 'Magento_Catalog::products', 'magento.catalog.api.productrepositoryinterface.deletebyid', deleteProduct);
route('PUT', '/V1/products/:productSku/stockItems/:itemId', 'Magento_CatalogInventory::cataloginventory', 'magento.cataloginventory.api.stockregistryinterface.updatestockitembysku', updateStockItem);
route('GET', '/V1/stockItems/:productSku', 'Magento_CatalogInventory::cataloginventory', 'magento.cataloginventory.api.stockregistryinterface.getstockitembysku', readStockItem);

// MSI
route('GET', '/V1/inventory/sources', 'Magento_InventoryApi::source', 'magento.inventoryapi.api.sourcerepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.sources)));
route('POST', '/V1/inventory/sources', 'Magento_InventoryApi::source_edit', 'magento.inventoryapi.api.sourcerepositoryinterface.save', createSource);
route('GET', '/V1/inventory/sources/:sourceCode', 'Magento_InventoryApi::source', 'magento.inventoryapi.api.sourcerepositoryinterface.get', readSource);
route('PUT', '/V1/inventory/sources/:sourceCode', 'Magento_InventoryApi::source_edit', 'magento.inventoryapi.api.sourcerepositoryinterface.save', updateSource);
route('GET', '/V1/inventory/source-items', 'Magento_InventoryApi::source', 'magento.inventoryapi.api.getsourceitemsinterface.execute', searchOf((sim, criteria) => sourceItemRows(sim, skuHint(criteria))));
route('POST', '/V1/inventory/source-items', 'Magento_InventoryApi::source_item', 'magento.inventoryapi.api.sourceitemssaveinterface.execute', saveSourceItems);
route('POST', '/V1/inventory/source-items-delete', 'Magento_InventoryApi::source_item', 'magento.inventoryapi.api.sourceitemsdeleteinterface.execute', deleteSourceItems);
route('GET', '/V1/inventory/stocks', 'Magento_InventoryApi::stock', 'magento.inventoryapi.api.stockrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.stocks)));
route('GET', '/V1/inventory/stocks/:stockId', 'Magento_InventoryApi::stock', 'magento.inventoryapi.api.stockrepositoryinterface.get', readStock);
route('GET', '/V1/inventory/get-product-salable-quantity/:sku/:stockId', 'Magento_InventoryApi::stock', 'magento.inventorysalesapi.api.getproductsalableqtyinterface.execute', getSalableQty);
route('GET', '/V1/inventory/is-product-salable/:sku/:stockId', 'Magento_InventoryApi::stock', 'magento.inventorysalesapi.api.isproductsalableinterface.execute', isSalable);
route('GET', '/V1/inventory/is-product-salable-for-requested-qty/:sku/:stockId/:requestedQty', 'Magento_InventoryApi::stock', 'magento.inventorysalesapi.api.isproductsalableforrequestedqtyinterface.execute', isSalableForQty);

// Async bulk status
route('GET', '/V1/bulk/:bulkUuid/status', 'Magento_Logging::system_magento_logging_bulk_operations', 'magento.asynchronousoperations.api.bulkstatusinterface.getbulkshortstatus', bulkStatus);
route('GET', '/V1/bulk/:bulkUuid/detailed-status', 'Magento_Logging::system_magento_logging_bulk_operations', 'magento.asynchronousoperations.api.bulkstatusinterface.getbulkdetailedstatus', bulkDetailedStatus);
route('GET', '/V1/bulk/:bulkUuid/operation-status/:status', 'Magento_Logging::system_magento_logging_bulk_operations', 'magento.asynchronousoperations.api.bulkstatusinterface.getoperationscountbybulkidandstatus', bulkOperationCount);

// Gift card accounts (SaaS shape)
route('GET', '/V1/giftcardaccounts', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.getlist', searchOf((sim) => Object.values(sim.store.state.giftcards)));
route('POST', '/V1/giftcardaccounts', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.save', createGiftCardAccount);
route('GET', '/V1/giftcardaccounts/code/:code', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.getbycode', readGiftCardAccountByCode);
route('GET', '/V1/giftcardaccounts/:id', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.get', readGiftCardAccount);
route('PUT', '/V1/giftcardaccounts/:id', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.save', updateGiftCardAccount);
route('DELETE', '/V1/giftcardaccounts/:id', 'Magento_GiftCardAccount::giftcardaccount', 'magento.giftcardaccount.api.giftcardaccountrepositoryinterface.delete', deleteGiftCardAccount);

// Commerce eventing management (used by installers)
route('POST', '/V1/eventing/eventSubscribe', 'Magento_AdobeCommerceEventsClient::event_subscribe', 'magento.adobecommerceeventsclient.api.eventsubscriberinterface.subscribe', subscribe);
route('PUT', '/V1/eventing/eventSubscribe/:name', 'Magento_AdobeCommerceEventsClient::event_subscribe', 'magento.adobecommerceeventsclient.api.eventsubscriberinterface.update', updateSubscription);
route('POST', '/V1/eventing/eventUnsubscribe/:name', 'Magento_AdobeCommerceEventsClient::event_subscribe', 'magento.adobecommerceeventsclient.api.eventsubscriberinterface.unsubscribe', unsubscribe);
route('GET', '/V1/eventing/getEventSubscriptions', 'Magento_AdobeCommerceEventsClient::event_subscribe', 'magento.adobecommerceeventsclient.api.eventsubscriberinterface.getsubscriptions', (_ctx, sim) => listSubscriptions(sim));
route('PUT', '/V1/eventing/updateConfiguration', 'Magento_AdobeCommerceEventsClient::event_subscribe', 'magento.adobecommerceeventsclient.api.updateconfigurationinterface.update', updateConfiguration);

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Finds the route for `/V1/…` segments. Literal segments win over parameters (so
 * `/V1/orders/items` is not `/V1/orders/:id`). In bulk mode a `by<Param>` segment stands for a
 * parameter whose value comes from each request body (§2.11).
 */
export function matchRoute(method: string, segments: string[], bulk = false): { match?: RouteMatch; pathExists: boolean } {
  let best: { match: RouteMatch; literal: number } | undefined;
  let pathExists = false;
  for (const r of routes) {
    if (r.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const t = r.segments[i]!;
      const s = segments[i]!;
      if (t.startsWith(':')) {
        const name = t.slice(1);
        if (bulk && s === `by${name[0]!.toUpperCase()}${name.slice(1)}`) params[name] = `\u0000${name}`;
        else {
          try {
            params[name] = decodeURIComponent(s);
          } catch {
            ok = false;
          }
        }
      } else if (t === s) literal++;
      else ok = false;
    }
    if (!ok) continue;
    pathExists = true;
    if (r.method !== method) continue;
    if (!best || literal > best.literal) best = { match: { route: r, params }, literal };
  }
  return { match: best?.match, pathExists };
}

export const allRoutes = () => routes.map((r) => `${r.method} ${r.template}`);
