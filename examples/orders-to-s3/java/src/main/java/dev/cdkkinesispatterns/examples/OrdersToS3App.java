package dev.cdkkinesispatterns.examples;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import dev.cdkkinesispatterns.BundledTransformOptions;
import dev.cdkkinesispatterns.ConsumerCode;
import dev.cdkkinesispatterns.DataStream;
import dev.cdkkinesispatterns.DeliverySource;
import dev.cdkkinesispatterns.HandlerFileOptions;
import dev.cdkkinesispatterns.LambdaStreamConsumer;
import dev.cdkkinesispatterns.PartitionKey;
import dev.cdkkinesispatterns.ProducerFunction;
import dev.cdkkinesispatterns.RecordFilter;
import dev.cdkkinesispatterns.RecordTransform;
import dev.cdkkinesispatterns.S3DeliveryStream;
import dev.cdkkinesispatterns.ThroughputRequirements;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Orders to S3, in Java: the same app as ../../app.ts. */
public final class OrdersToS3App {
    /** The stack of the example. */
    public static final class OrdersToS3Stack extends Stack {
        public OrdersToS3Stack(final Construct scope, final String id, final StackProps props) {
            super(scope, id, props);

            // The handler file sits beside app.ts, two folders up from this project.
            Path fulfilment = Paths.get(System.getProperty("user.dir"), "..", "fulfilment.ts").normalize();

            // 500 orders/s of about 1 KiB at peak, read by the fulfilment function and the archive (two shared readers).
            DataStream orders = DataStream.Builder.create(this, "Orders")
                .throughput(ThroughputRequirements.builder()
                    .recordsPerSecond(500)
                    .averageRecordSize(Size.kibibytes(1))
                    .sharedThroughputConsumers(2)
                    .build())
                .retentionPeriod(Duration.days(2))
                .build();

            // A customer's orders keep their order: the customer id is the partition key.
            ProducerFunction.Builder.create(this, "Ingest")
                .stream(orders)
                .partitionKey(PartitionKey.fromField("customerId"))
                .build();

            LambdaStreamConsumer.Builder.create(this, "Fulfilment")
                .stream(orders)
                .code(ConsumerCode.fromHandlerFile(fulfilment.toString(), HandlerFileOptions.builder()
                    .timeout(Duration.seconds(30))
                    .build()))
                .batchSize(100)
                .build();

            S3DeliveryStream.Builder.create(this, "Archive")
                .source(DeliverySource.kinesisStream(orders))
                .transform(RecordTransform.bundled(BundledTransformOptions.builder()
                    .requiredFields(List.of("orderId", "customerId", "amount"))
                    .filters(List.of(RecordFilter.fieldNotEquals("status", "TEST")))
                    .dropFields(List.of("cardNumber"))
                    .build()))
                .dataOutputPrefix("orders/!{timestamp:yyyy/MM/dd}/")
                .errorOutputPrefix("orders-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/")
                .build();
        }
    }

    private OrdersToS3App() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new OrdersToS3Stack(app, "OrdersToS3", null);
        app.synth();
    }
}
