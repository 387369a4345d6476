/**
 * The team's own handler: the construct bundles this file with the consumer runtime at synth time (in a project of
 * your own, import the runtime from 'cdk-kinesis-patterns/consumer'). A customer's orders arrive in order; a failed
 * order stops that customer's later orders in the batch (others go on) and is reported for Lambda to retry.
 */
import { createKinesisHandler, jsonParser } from '../../lambda/consumer';

interface Order { readonly orderId: string; readonly customerId: string; readonly amount: number }

function validate(value: unknown): Order {
  const o = value as Partial<Order>;
  if (typeof o.orderId !== 'string' || typeof o.customerId !== 'string' || typeof o.amount !== 'number') {
    throw new Error(`not an order: ${JSON.stringify(value)}`);
  }
  return o as Order;
}

export const handler = createKinesisHandler(async (order: Order) => {
  if (order.amount < 0) throw new Error(`order ${order.orderId} has a negative amount`);
  console.log(JSON.stringify({ message: 'order accepted', orderId: order.orderId, customerId: order.customerId }));
}, { parser: jsonParser(validate) });
