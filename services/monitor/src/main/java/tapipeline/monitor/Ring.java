package tapipeline.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-size history of (time, a, b) samples, oldest overwritten first: the monitor's own memory
 * of end offsets, committed offsets and lag, so no Prometheus is needed for charts and status.
 * Thread-safe; reads return copies.
 */
final class Ring {

    /** One sample: epoch millis and two values (e.g. committed offset and end offset). */
    record Sample(long time, long a, long b) {
    }

    private final long[] times;
    private final long[] as;
    private final long[] bs;
    private int next;
    private int size;

    Ring(int capacity) {
        times = new long[capacity];
        as = new long[capacity];
        bs = new long[capacity];
    }

    synchronized void add(long time, long a, long b) {
        times[next] = time;
        as[next] = a;
        bs[next] = b;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** Samples oldest first. */
    synchronized List<Sample> all() {
        return last(size);
    }

    /** The newest {@code n} samples, oldest first. */
    synchronized List<Sample> last(int n) {
        int k = Math.min(n, size);
        List<Sample> out = new ArrayList<>(k);
        for (int i = k; i > 0; i--) {
            int idx = Math.floorMod(next - i, times.length);
            out.add(new Sample(times[idx], as[idx], bs[idx]));
        }
        return out;
    }

    synchronized int size() {
        return size;
    }
}
