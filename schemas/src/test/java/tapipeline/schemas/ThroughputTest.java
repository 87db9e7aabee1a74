package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tapipeline.schemas.samples.SampleEvents;

/**
 * A coarse guard against accidentally slow decoding (e.g. compiling a schema per record). The real
 * target is 10,000 records/s per consumer; on an idle laptop a small event decodes in well under
 * 20 microseconds. The bound here is loose so that a busy CI machine does not fail it.
 */
class ThroughputTest {

    @Test
    void decodesTenThousandSmallEventsQuickly() {
        EventCodec codec = EventCodec.standard();
        byte[] progress = codec.encode(SampleEvents.envelope(EventTypes.RUN_PROGRESS));
        for (int i = 0; i < 5_000; i++) {
            codec.decode(progress, EventTypes.RUN_PROGRESS);
        }

        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            codec.decode(progress, EventTypes.RUN_PROGRESS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("decoded 10000 %s events in %.3f s (%.0f/s)%n", EventTypes.RUN_PROGRESS.name(), seconds, 10_000 / seconds);
        assertThat(seconds).as("10k decodes must stay far below a second per thousand").isLessThan(5.0);
    }
}
