package tapipeline.monitor;

import java.util.List;
import java.util.Map;

/** What one poll of the cluster saw: topics and consumer groups with their lag and status. Immutable. */
public record Snapshot(long takenAt, long tookMs, Map<String, TopicView> topics, Map<String, GroupView> groups,
                String error) {

    static Snapshot empty() {
        return new Snapshot(0, 0, Map.of(), Map.of(), "no poll yet");
    }

    /** One partition of a topic. */
    public record PartitionView(int partition, int leader, List<Integer> replicas, List<Integer> inSync, long startOffset,
                         long endOffset) {
        public long records() {
            return endOffset - startOffset;
        }
    }

    /** One topic: partitions and the rate of records in over the last samples (records/s). */
    public record TopicView(String name, List<PartitionView> partitions, double recordsPerSecond) {
        public long endOffsetSum() {
            return partitions.stream().mapToLong(PartitionView::endOffset).sum();
        }

        public long records() {
            return partitions.stream().mapToLong(PartitionView::records).sum();
        }

        public boolean deadLetters() {
            return name.endsWith(".dlq");
        }
    }

    /** How the lag in seconds of a partition was found. */
    public enum LagMethod {
        /** nothing waits: 0 s */
        NONE,
        /** the timestamp of the record at the committed offset, read from the partition */
        READ,
        /** interpolated between the monitor's samples of the partition's end offset (reads over budget) */
        INTERPOLATED,
        /** older than the monitor's history: at least this many seconds */
        AT_LEAST
    }

    /** One partition a group has committed (or is assigned). */
    public record GroupPartition(String topic, int partition, long committed, long endOffset, long startOffset,
                          long lag, double lagSeconds, LagMethod method, String member, LagStatus status,
                          String reason, boolean dataLoss, Double catchUpSeconds) {
    }

    /** One member of a group. */
    public record Member(String memberId, String clientId, String host, List<String> assignment) {
    }

    /** One consumer group. */
    public record GroupView(String groupId, String state, List<Member> members, List<GroupPartition> partitions,
                     long totalLag, double maxLagSeconds, LagStatus status, String reason, boolean dataLoss) {
    }
}
