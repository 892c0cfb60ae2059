/** How deliveries to each remote host fare, for the operator: recorded by federation/, read by the admin pages and API. */
export {
  type CircuitState,
  type DeliveryHostHealth,
  type DeliveryRejection,
  listDeliveryHealth,
  listDeliveryRejections,
  pruneDeliveryRejections,
  recordCircuitState,
  recordDeliveryFailure,
  recordDeliveryRejection,
  recordDeliverySuccess,
} from "./delivery-health.repository.ts";
