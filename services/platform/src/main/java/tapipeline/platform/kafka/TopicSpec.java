package tapipeline.platform.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one topic must look: name, partitions, replication and the configs we rely on.
 *
 * @param partitions   0 means "the cluster-wide default from TOPIC_PARTITIONS"
 * @param replication  0 means "the default from TOPIC_REPLICATION"
 * @param retentionMs  -1 keeps history forever; {@code null} leaves the broker default
 */
public record TopicSpec(String name, int partitions, short replication, boolean compacted,
                        Integer maxMessageBytes, Long retentionMs, String doc) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("not a legal topic name: " + name);
        }
    }

    public static TopicSpec events(String name, String doc) {
        return new TopicSpec(name, 0, (short) 0, false, null, null, doc);
    }

    public static TopicSpec compacted(String name, String doc) {
        return new TopicSpec(name, 0, (short) 0, true, null, null, doc);
    }

    public TopicSpec keptForever() {
        return new TopicSpec(name, partitions, replication, compacted, maxMessageBytes, -1L, doc);
    }

    public TopicSpec maxMessageBytes(int bytes) {
        return new TopicSpec(name, partitions, replication, compacted, bytes, retentionMs, doc);
    }

    /** The dead-letter topic of this one: same partitions, kept forever so nothing is lost. */
    public TopicSpec deadLetters() {
        return new TopicSpec(name + Topics.DLQ_SUFFIX, partitions, replication, false,
                maxMessageBytes, -1L, "dead letters of " + name);
    }

    /** Topic-level configs to set at creation and compare for drift. */
    public Map<String, String> configs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cleanup.policy", compacted ? "compact" : "delete");
        if (maxMessageBytes != null) {
            c.put("max.message.bytes", Integer.toString(maxMessageBytes));
        }
        if (retentionMs != null) {
            c.put("retention.ms", Long.toString(retentionMs));
        }
        if (compacted) {
            // compact reasonably soon so a replaying service reads little more than the live state
            c.put("min.cleanable.dirty.ratio", "0.1");
            c.put("segment.ms", Long.toString(6 * 3600_000L));
        }
        return c;
    }
}
