"""Orders to S3, in Python: the same app as ../app.ts, built on the cdk-kinesis-patterns wheel.

Run (from this folder, with the wheel, aws-cdk-lib and constructs installed, and esbuild on PATH):
    python app.py
"""
import os

import aws_cdk as cdk
from constructs import Construct

from cdk_kinesis_patterns import (
    ConsumerCode,
    DataStream,
    DeliverySource,
    LambdaStreamConsumer,
    PartitionKey,
    ProducerFunction,
    RecordFilter,
    RecordTransform,
    S3DeliveryStream,
    ThroughputRequirements,
)

HERE = os.path.dirname(os.path.abspath(__file__))


class OrdersToS3Stack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # 500 orders/s of about 1 KiB at peak, read by the fulfilment function and the archive (two shared readers).
        orders = DataStream(
            self,
            "Orders",
            throughput=ThroughputRequirements(
                records_per_second=500,
                average_record_size=cdk.Size.kibibytes(1),
                shared_throughput_consumers=2,
            ),
            retention_period=cdk.Duration.days(2),
        )

        # A customer's orders keep their order: the customer id is the partition key.
        ProducerFunction(self, "Ingest", stream=orders, partition_key=PartitionKey.from_field("customerId"))

        LambdaStreamConsumer(
            self,
            "Fulfilment",
            stream=orders,
            code=ConsumerCode.from_handler_file(
                os.path.join(HERE, "..", "fulfilment.ts"),
                timeout=cdk.Duration.seconds(30),
            ),
            batch_size=100,
        )

        S3DeliveryStream(
            self,
            "Archive",
            source=DeliverySource.kinesis_stream(orders),
            transform=RecordTransform.bundled(
                required_fields=["orderId", "customerId", "amount"],
                filters=[RecordFilter.field_not_equals("status", "TEST")],
                drop_fields=["cardNumber"],
            ),
            data_output_prefix="orders/!{timestamp:yyyy/MM/dd}/",
            error_output_prefix="orders-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
        )


app = cdk.App()
OrdersToS3Stack(app, "OrdersToS3")
app.synth()
