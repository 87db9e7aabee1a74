package tapipeline.bench.solver;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap through GC notifications: the heap in use just before each collection
 * (its high points, garbage included) and just after (what survived, an upper bound on the live
 * set). Also reads the process's peak resident memory (VmHWM), which includes native memory such as
 * CP-SAT's.
 */
final class HeapProbe {

    private final Set<String> heapPools = new HashSet<>();
    private volatile long maxBeforeGc;
    private volatile long maxAfterGc;
    private volatile int collections;

    HeapProbe() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    record(info.getGcInfo().getMemoryUsageBeforeGc(), info.getGcInfo().getMemoryUsageAfterGc());
                }
            }, null, null);
        }
    }

    private synchronized void record(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
        maxBeforeGc = Math.max(maxBeforeGc, heapSum(before));
        maxAfterGc = Math.max(maxAfterGc, heapSum(after));
        collections++;
    }

    private long heapSum(Map<String, MemoryUsage> usage) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }

    /** Highest heap use seen: before any collection, or now. */
    long peakHeapBytes() {
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return Math.max(maxBeforeGc, now);
    }

    /** Highest heap use right after a collection (0 when none ran). */
    long maxAfterGcBytes() {
        return maxAfterGc;
    }

    int collections() {
        return collections;
    }

    /** Peak resident set of this process in bytes (Linux VmHWM), or -1. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
