package tapipeline.platform.kafka;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * A tiny service run in a child JVM by {@link TransactionalLoopExactlyOnceIT}: relays audit events
 * from one topic to another through a {@link TransactionalLoop}, so the test can kill -9 it
 * half-way through.
 *
 * <p>Arguments: bootstrap inTopic outTopic groupId instanceId delayMicrosPerRecord
 */
public final class RelayMain {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String in = args[1];
        String out = args[2];
        String group = args[3];
        String instance = args[4];
        long delayNanos = Long.parseLong(args[5]) * 1000;
        TransactionalLoop<Envelope<AuditEntry>> loop = TransactionalLoop
                .builder("relay", new KafkaClients(bootstrap), Events.decoder(EventTypes.AUDIT))
                .groupId(group).instanceId(instance).topics(in)
                // many small transactions, so that the kill lands between commits half-way through
                // (the shipped 20,000 records per poll would commit all 10,000 inputs at once)
                .consumerOverrides(java.util.Map.of("max.poll.records", 500))
                .processor((event, record, outbox) -> {
                    if (delayNanos > 0) {
                        LockSupport.parkNanos(delayNanos);
                    }
                    AuditEntry e = event.payload();
                    AuditEntry relayed = new AuditEntry(e.subject(), "relay", "relayed", e.detail(), e.at());
                    outbox.send(out, e.subject(),
                            Events.codec().encode(Envelope.of(EventTypes.AUDIT, event.correlationId(), relayed)));
                })
                .build();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loop.close();
            done.countDown();
        }));
        loop.start();
        System.out.println("RELAY STARTED");
        System.out.flush();
        done.await();
    }
}
