package tapipeline.solver.domain;

import java.util.AbstractList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * A course's candidates, best first, kept in a few kilobytes whatever their number: the applicants
 * the ordering sets apart (requested, rated, taught before) in arrays, and the plain rest, which
 * keeps the applicants' own order, as a bit set over the problem's applicants. A list of 10,000
 * candidates costs about 4 KB instead of 40 KB, and {@link #contains} is a bit test, not a scan
 * (OptaPlanner's swap moves ask it of both slots' value ranges at every try).
 *
 * <p>The order is {@code head}, then the plain ones by applicant index, then {@code tail}. Immutable.
 */
public final class CandidateList extends AbstractList<TaApplicant> implements RandomAccess {

    private final List<TaApplicant> applicants;
    private final TaApplicant[] head;
    private final TaApplicant[] tail;
    private final BitSet members;
    private final long[] plainWords;
    /** By word of {@link #plainWords}: how many plain candidates come before it. */
    private final int[] plainBefore;
    private final int plainCount;

    /**
     * @param applicants the problem's applicants, each at the position of its index
     * @param head       candidates before the plain ones, in order
     * @param plain      the plain candidates by applicant index (not kept: copied)
     * @param tail       candidates after the plain ones, in order
     */
    public CandidateList(List<TaApplicant> applicants, TaApplicant[] head, BitSet plain, TaApplicant[] tail) {
        this.applicants = applicants;
        this.head = head.clone();
        this.tail = tail.clone();
        this.plainWords = plain.toLongArray();
        this.plainBefore = new int[plainWords.length];
        int count = 0;
        for (int w = 0; w < plainWords.length; w++) {
            plainBefore[w] = count;
            count += Long.bitCount(plainWords[w]);
        }
        this.plainCount = count;
        this.members = (BitSet) plain.clone();
        for (TaApplicant a : head) {
            requireIndexed(a);
            members.set(a.index());
        }
        for (TaApplicant a : tail) {
            requireIndexed(a);
            members.set(a.index());
        }
        if (members.cardinality() != size()) {
            throw new IllegalArgumentException("a candidate is listed twice");
        }
    }

    private void requireIndexed(TaApplicant a) {
        if (a.index() < 0 || a.index() >= applicants.size() || applicants.get(a.index()) != a) {
            throw new IllegalArgumentException("applicant " + a.id() + " is not at its index in the problem's list");
        }
    }

    /** The candidates as a bit set by applicant index (a copy). */
    public BitSet bits() {
        return (BitSet) members.clone();
    }

    /** Whether the applicant at this index is a candidate. */
    public boolean containsIndex(int applicantIndex) {
        return applicantIndex >= 0 && members.get(applicantIndex);
    }

    /**
     * The first candidate in list order whose index is set in {@code among} (words of a bit set by
     * applicant index, as {@link BitSet#toLongArray}) and that passes {@code test}; null if none. Skips
     * the plain candidates outside {@code among} a word at a time, so looking for, say, the best
     * candidate with free hours does not test thousands that have none.
     */
    public TaApplicant first(long[] among, java.util.function.Predicate<TaApplicant> test) {
        for (TaApplicant a : head) {
            if (isSet(among, a.index()) && test.test(a)) {
                return a;
            }
        }
        for (int w = 0, n = Math.min(plainWords.length, among.length); w < n; w++) {
            long word = plainWords[w] & among[w];
            while (word != 0) {
                TaApplicant a = applicants.get(w * 64 + Long.numberOfTrailingZeros(word));
                if (test.test(a)) {
                    return a;
                }
                word &= word - 1;
            }
        }
        for (TaApplicant a : tail) {
            if (isSet(among, a.index()) && test.test(a)) {
                return a;
            }
        }
        return null;
    }

    private static boolean isSet(long[] words, int i) {
        return (i >>> 6) < words.length && (words[i >>> 6] & (1L << i)) != 0;
    }

    @Override
    public TaApplicant get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException(i);
        }
        if (i < head.length) {
            return head[i];
        }
        int r = i - head.length;
        if (r >= plainCount) {
            return tail[r - plainCount];
        }
        // the word holding the r-th plain candidate: the last word with plainBefore <= r that has bits
        int lo = 0;
        int hi = plainWords.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (plainBefore[mid] <= r) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        while (plainWords[lo] == 0 || r - plainBefore[lo] >= Long.bitCount(plainWords[lo])) {
            lo++;   // only for words without bits that share plainBefore with the next one
        }
        long word = plainWords[lo];
        for (int k = r - plainBefore[lo]; k > 0; k--) {
            word &= word - 1;
        }
        return applicants.get(lo * 64 + Long.numberOfTrailingZeros(word));
    }

    @Override
    public int size() {
        return head.length + plainCount + tail.length;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof TaApplicant a && a.index() >= 0 && a.index() < applicants.size()
                && applicants.get(a.index()) == a && members.get(a.index());
    }

    @Override
    public Iterator<TaApplicant> iterator() {
        return new Iterator<>() {
            private int inHead;
            private int nextPlain = nextPlainFrom(0);
            private int inTail;

            @Override
            public boolean hasNext() {
                return inHead < head.length || nextPlain >= 0 || inTail < tail.length;
            }

            @Override
            public TaApplicant next() {
                if (inHead < head.length) {
                    return head[inHead++];
                }
                if (nextPlain >= 0) {
                    TaApplicant a = applicants.get(nextPlain);
                    nextPlain = nextPlainFrom(nextPlain + 1);
                    return a;
                }
                if (inTail < tail.length) {
                    return tail[inTail++];
                }
                throw new NoSuchElementException();
            }
        };
    }

    private int nextPlainFrom(int from) {
        int w = from >>> 6;
        if (w >= plainWords.length) {
            return -1;
        }
        long word = plainWords[w] & (-1L << from);
        while (word == 0) {
            if (++w == plainWords.length) {
                return -1;
            }
            word = plainWords[w];
        }
        return w * 64 + Long.numberOfTrailingZeros(word);
    }
}
