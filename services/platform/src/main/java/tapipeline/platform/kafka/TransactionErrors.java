package tapipeline.platform.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What an error from a transactional producer calls for, after the KafkaProducer javadoc and
 * KIP-1050 (and Kafka's {@code ExactlyOnceMessageProcessor}). The error itself or any cause it wraps
 * counts: a producer in an error state throws a plain {@link KafkaException} whose cause is the
 * original error. A {@code TimeoutException} from {@code commitTransaction} is not classified here:
 * the commit is retried, never aborted.
 */
public final class TransactionErrors {

    /** The recovery an error calls for. */
    public enum Recovery {
        /** Abort the transaction, rewind to the committed input and go on (InvalidProducerEpoch included). */
        ABORT,
        /** This producer cannot be used again: close it, create one with the same transactional.id. */
        RECREATE_PRODUCER,
        /** Nothing this process can do (misconfiguration, lost data): stop, let the supervisor restart it. */
        FATAL
    }

    private TransactionErrors() {
    }

    public static Recovery recoveryFor(KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidPidMappingException) {
                return Recovery.RECREATE_PRODUCER;
            }
            if (t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException
                    || t instanceof AuthenticationException || t instanceof UnsupportedVersionException
                    || t instanceof FencedInstanceIdException) {
                return Recovery.FATAL;
            }
        }
        // abortable; InvalidProducerEpochException too (abortTransaction re-initializes the producer
        // id under the hood)
        return Recovery.ABORT;
    }
}
