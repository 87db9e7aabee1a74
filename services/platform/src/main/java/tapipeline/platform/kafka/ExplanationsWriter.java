package tapipeline.platform.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;

/**
 * Publishes a run's explanations on {@code assignment.run.explanations} (the solver service, after each
 * run); {@link ExplanationsReader} reads them back on demand.
 */
public final class ExplanationsWriter {

    private static final Logger log = LoggerFactory.getLogger(ExplanationsWriter.class);

    private ExplanationsWriter() {
    }

    /**
     * Writes a result's explanations to {@code assignment.run.explanations}, one record per course keyed
     * {@code "<runId> <courseId>"}, all in the partition the run id hashes to (the partition its other
     * records are in), waits until every one is acknowledged, and returns the result without them,
     * pointing at the offsets they were written at. A 10,000-course result is then a few MB before
     * compression instead of tens, and a reader fetches only the course it shows.
     */
    public static RunCompleted publish(Producer<String, byte[]> producer, RunCompleted result)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<RunExplanations> courses = RunExplanations.split(result);
        String topic = Topics.RUN_EXPLANATIONS.name();
        int partition = KeyTail.partitionOf(result.runId(), producer.partitionsFor(topic).size());
        List<Future<RecordMetadata>> sent = new java.util.ArrayList<>(courses.size());
        int slots = 0;
        for (RunExplanations course : courses) {
            byte[] value = Events.codec().encode(Envelope.of(EventTypes.RUN_EXPLANATIONS, result.runId(), course));
            sent.add(Events.send(producer, new ProducerRecord<>(topic, partition, course.key(), value)));
            slots += course.assignments().size();
        }
        long first = Long.MAX_VALUE;
        long last = -1;
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get(60, TimeUnit.SECONDS);
            first = Math.min(first, m.offset());
            last = Math.max(last, m.offset());
        }
        log.info("run {}: explanations of {} slots in {} courses written to {}-{} offsets {}..{}", result.runId(), slots,
                courses.size(), topic, partition, first, last);
        return result.withExplanationsAt(new RunCompleted.ExplanationsRef(partition, first, last, courses.size(), slots));
    }

}
