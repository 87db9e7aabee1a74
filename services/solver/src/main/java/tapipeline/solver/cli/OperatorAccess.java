package tapipeline.solver.cli;

import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.kafka.access.KafkaTool;

/**
 * The principal of the operators' command line where it talks to Kafka itself: {@code bin/solver submit}
 * (sends a request, follows its progress and result by key, reads its explanations back) and
 * {@code bin/solver cancel}. {@code bin/solver generate/solve} and {@code bin/handbook} use no Kafka;
 * {@code bin/coordinator} goes through the coordinator's REST API with a coordinator's account.
 */
public final class OperatorAccess implements KafkaTool {

    /** The principal (SCRAM user) the command line signs in as. */
    public static final String PRINCIPAL = "operator";

    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(PRINCIPAL, "bin/solver submit and cancel (operators' command line)")
                .writes(Topics.RUN_REQUESTED, Topics.RUN_CANCEL)
                // KeyTail and ExplanationsReader: assigned readers without a group id, so no group ACL
                .reads(Topics.RUN_PROGRESS, Topics.RUN_COMPLETED, Topics.RUN_EXPLANATIONS)
                .build();
    }
}
