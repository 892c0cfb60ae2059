import type { DbOrTrx } from "../../db/database.ts";
import { type DeliveryHostHealth, type DeliveryRejection, listDeliveryHealth, listDeliveryRejections } from "./delivery-health.repository.ts";

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


/** What the admin pages and API read: every host's health and the latest refusals, two queries. */
export function createDeliveryHealthService(deps: { readonly db: DbOrTrx }) {
  return {
    async report(recentRejections: number): Promise<{ hosts: DeliveryHostHealth[]; rejections: DeliveryRejection[] }> {
      const [hosts, rejections] = await Promise.all([listDeliveryHealth(deps.db), listDeliveryRejections(deps.db, recentRejections)]);
      return { hosts, rejections };
    },
  };
}

export type DeliveryHealthService = ReturnType<typeof createDeliveryHealthService>;
