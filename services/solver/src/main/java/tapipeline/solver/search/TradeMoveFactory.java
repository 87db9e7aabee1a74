package tapipeline.solver.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaSlot;

/**
 * Trades: TA A gives a set of its slots (always including one picked at random) to TA B, a
 * candidate for that slot, and takes a set of B's slots in return, with the hours of both sides
 * within {@link #setMaxHoursShift(int) a few hours} of each other. Among all such trades of up to
 * {@link #setMaxSetSize(int) three} slots a side that keep both TAs within their maximum hours,
 * give every slot one of its candidates and put no TA in two meetings at once or twice in a course,
 * the one {@link AssignmentEstimate} likes best is proposed; the real score decides.
 *
 * <p>Why: the fair-load penalty is the square of the distance from a TA's target, and slots have 5,
 * 10 or 20 hours, so a plain change or swap of slots with different hours moves two TAs 5–20 hours
 * off target on the way to a better assignment; late acceptance rarely accepts that, and the search
 * stalls on preferences it could still improve. A trade keeps both loads (nearly) where they are.
 *
 * <p>Only random selection (local search). Which slots a TA holds comes from {@link HeldSlots}, kept
 * up to date by the score director; held slots are ordered by their position in the solution so
 * that a seed reproduces a run.
 */
public final class TradeMoveFactory extends HeldSlotsMoveFactory {

    /** Attempts at finding a valid trade before giving up (the caller then hands back a move that is not doable). */
    private static final int ATTEMPTS = 10;
    /** Slots of one TA considered at most (a random selection if they hold more), bounding the work per move. */
    private static final int MAX_HELD = 6;

    private int maxSetSize = 3;
    private int maxHoursShift = 5;

    /** Slots a side gives at most (custom property {@code maxSetSize}). */
    public void setMaxSetSize(int maxSetSize) {
        this.maxSetSize = maxSetSize;
    }

    /** How many hours a trade may move from one TA to the other (custom property {@code maxHoursShift}). */
    public void setMaxHoursShift(int maxHoursShift) {
        this.maxHoursShift = maxHoursShift;
    }

    @Override
    ReassignMove nextMove(Random random) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            TaSlot slot = randomSlot(random);
            if (slot.isPinned() || slot.getTa() == null) {
                continue;
            }
            List<TaApplicant> candidates = slot.getCandidates();
            // candidate lists are best first: favour the front (u squared)
            double u = random.nextDouble();
            TaApplicant b = candidates.get(Math.min(candidates.size() - 1, (int) (candidates.size() * u * u)));
            if (b == slot.getTa()) {
                continue;
            }
            ReassignMove trade = trade(slot, b, random);
            if (trade != null) {
                return trade;
            }
        }
        return null;
    }

    /** The best valid trade (by the estimate) between the TA of {@code given} (who gives it) and {@code b}, or null. */
    private ReassignMove trade(TaSlot given, TaApplicant b, Random random) {
        TaApplicant a = given.getTa();
        List<TaSlot> allA = heldBy(a);
        List<TaSlot> allB = heldBy(b);
        List<TaSlot> offerA = tradable(allA, given, random);
        List<TaSlot> offerB = tradable(allB, null, random);
        int hoursA = hoursOf(a);
        int hoursB = hoursOf(b);
        int givenBit = 1 << offerA.indexOf(given);
        int bestX = 0;
        int bestY = 0;
        long bestCost = Long.MAX_VALUE;
        for (int x = 1; x < 1 << offerA.size(); x++) {
            if ((x & givenBit) == 0 || Integer.bitCount(x) > maxSetSize || !acceptsAll(offerA, x, b)) {
                continue;
            }
            int hx = hours(offerA, x);
            for (int y = 0; y < 1 << offerB.size(); y++) {
                if (Integer.bitCount(y) > maxSetSize || (y == 0 && Integer.bitCount(x) == 1)) {
                    continue;   // a plain change: the change moves cover it
                }
                int hy = hours(offerB, y);
                if (Math.abs(hx - hy) > maxHoursShift
                        || hoursA - hx + hy > a.maxHours() || hoursB - hy + hx > b.maxHours()
                        || !acceptsAll(offerB, y, a)
                        || !fits(offerA, x, allB, offerB, y) || !fits(offerB, y, allA, offerA, x)) {
                    continue;
                }
                long cost = estimate().loadCost(a, hoursA - hx + hy) - estimate().loadCost(a, hoursA)
                        + estimate().loadCost(b, hoursB - hy + hx) - estimate().loadCost(b, hoursB)
                        + pairDelta(offerA, x, a, b) + pairDelta(offerB, y, b, a);
                if (cost < bestCost) {
                    bestCost = cost;
                    bestX = x;
                    bestY = y;
                }
            }
        }
        return bestX == 0 ? null : build(offerA, bestX, b, offerB, bestY, a);
    }

    /** The unpinned slots of a TA that may change hands, at most MAX_HELD, always including {@code must}. */
    private static List<TaSlot> tradable(List<TaSlot> held, TaSlot must, Random random) {
        List<TaSlot> list = new ArrayList<>(held.size());
        for (TaSlot s : held) {
            if (!s.isPinned()) {
                list.add(s);
            }
        }
        while (list.size() > MAX_HELD) {
            int drop = random.nextInt(list.size());
            if (list.get(drop) != must) {
                list.remove(drop);
            }
        }
        return list;
    }

    /** Estimated change when the masked slots go from {@code from} to {@code to}. */
    private long pairDelta(List<TaSlot> offer, int mask, TaApplicant from, TaApplicant to) {
        long delta = 0;
        for (int i = 0; i < offer.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                delta += estimate().pairCost(to, offer.get(i)) - estimate().pairCost(from, offer.get(i));
            }
        }
        return delta;
    }

    private boolean acceptsAll(List<TaSlot> offer, int mask, TaApplicant taker) {
        for (int i = 0; i < offer.size(); i++) {
            if ((mask & (1 << i)) != 0 && !isCandidate(offer.get(i), taker)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the slots {@code incoming} (of {@code from}, by mask) fit next to what the taker keeps
     * (its slots minus those it gives away): no shared course and no overlapping meetings.
     */
    private boolean fits(List<TaSlot> from, int incoming, List<TaSlot> takerHeld, List<TaSlot> takerOffer, int outgoing) {
        for (int i = 0; i < from.size(); i++) {
            if ((incoming & (1 << i)) == 0) {
                continue;
            }
            TaSlot in = from.get(i);
            for (int j = i + 1; j < from.size(); j++) {
                if ((incoming & (1 << j)) != 0 && clash(in, from.get(j))) {
                    return false;
                }
            }
            for (TaSlot kept : takerHeld) {
                int k = takerOffer.indexOf(kept);
                if ((k < 0 || (outgoing & (1 << k)) == 0) && clash(in, kept)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int hours(List<TaSlot> list, int mask) {
        int sum = 0;
        for (int i = 0; i < list.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                sum += list.get(i).getHours();
            }
        }
        return sum;
    }

    private static ReassignMove build(List<TaSlot> offerA, int x, TaApplicant b, List<TaSlot> offerB, int y, TaApplicant a) {
        int n = Integer.bitCount(x) + Integer.bitCount(y);
        TaSlot[] moved = new TaSlot[n];
        TaApplicant[] to = new TaApplicant[n];
        int k = 0;
        for (int i = 0; i < offerA.size(); i++) {
            if ((x & (1 << i)) != 0) {
                moved[k] = offerA.get(i);
                to[k++] = b;
            }
        }
        for (int i = 0; i < offerB.size(); i++) {
            if ((y & (1 << i)) != 0) {
                moved[k] = offerB.get(i);
                to[k++] = a;
            }
        }
        return new ReassignMove(moved, to, "trade");
    }
}
