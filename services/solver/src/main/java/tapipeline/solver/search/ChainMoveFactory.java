package tapipeline.solver.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaSlot;

/**
 * Ejection chains: slot s0 leaves its TA A for a candidate B; B may give up one of its slots s1 to
 * C, C one to D, and so on, until a TA simply takes the slot or the chain closes on A. Each chain
 * keeps every TA within their maximum hours, never puts a TA in two meetings at once or twice in a
 * course, and gives each slot one of its candidates. Several random chains are built from one start
 * and the one a quick estimate likes best is proposed; the real score (the constraint streams)
 * decides whether it is taken.
 *
 * <p>The estimate is {@link AssignmentEstimate}: it only ranks chains, it never decides a step.
 *
 * <p>Why: the difference between a good and the best assignment is a long chain of small trades (a
 * TA moves to a course they like more, the TA they displace takes another course, ...), and random
 * change and swap moves rarely hit the one step of such a chain that improves the score.
 */
public final class ChainMoveFactory extends HeldSlotsMoveFactory {

    /** Start slots tried per move before giving up. */
    private static final int ATTEMPTS = 10;

    private int depth = 4;
    private int branching = 6;

    /** The longest chain (slots moved), custom property {@code depth}. */
    public void setDepth(int depth) {
        this.depth = depth;
    }

    /** Takers sampled for each slot of a chain, custom property {@code branching}. */
    public void setBranching(int branching) {
        this.branching = branching;
    }

    private long pairCost(TaApplicant ta, TaSlot slot) {
        return estimate().pairCost(ta, slot);
    }

    private long loadCost(TaApplicant ta, int hours) {
        return estimate().loadCost(ta, hours);
    }

    /** The chain being built: slots moved, their takers, and the TAs involved with their hours. */
    private final class Search {
        final TaApplicant start;
        final TaSlot[] slots = new TaSlot[depth];
        final TaApplicant[] takers = new TaApplicant[depth];
        final List<TaApplicant> tas = new ArrayList<>();
        final List<Integer> hoursBefore = new ArrayList<>();
        final List<Integer> hoursAfter = new ArrayList<>();
        ReassignMove best;
        long bestCost = Long.MAX_VALUE;

        Search(TaApplicant start) {
            this.start = start;
        }

        int indexOf(TaApplicant ta) {
            for (int i = 0; i < tas.size(); i++) {
                if (tas.get(i) == ta) {
                    return i;
                }
            }
            return -1;
        }

        void consider(int length, long pairDelta) {
            long cost = pairDelta;
            for (int i = 0; i < tas.size(); i++) {
                cost += loadCost(tas.get(i), hoursAfter.get(i)) - loadCost(tas.get(i), hoursBefore.get(i));
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = new ReassignMove(Arrays.copyOf(slots, length), Arrays.copyOf(takers, length), "chain");
            }
        }
    }

    @Override
    ReassignMove nextMove(Random random) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            TaSlot s0 = randomSlot(random);
            if (s0.isPinned() || s0.getCandidates().size() < 2) {
                continue;
            }
            TaApplicant a = s0.getTa();
            Search search = new Search(a);
            long pairDelta = 0;
            if (a != null) {
                int hoursA = hoursOf(a);
                search.tas.add(a);
                search.hoursBefore.add(hoursA);
                search.hoursAfter.add(hoursA - s0.getHours());
                pairDelta = -pairCost(a, s0);
            }
            // an empty start slot gets filled: the chain makes room for it
            extend(search, s0, a, 0, pairDelta, random);
            if (search.best != null) {
                return search.best;
            }
        }
        return null;
    }

    /**
     * Finds a taker for {@code slot} (leaving {@code giver}) as step {@code step} of the chain: of
     * {@code branching} sampled takers, each is scored as the end of the chain (it keeps the slot),
     * and the chain goes on from the one whose step looks best, which gives up one of its slots.
     */
    private void extend(Search search, TaSlot slot, TaApplicant giver, int step, long pairDelta, Random random) {
        List<TaApplicant> candidates = slot.getCandidates();
        TaApplicant nextTaker = null;
        TaSlot nextOut = null;
        long nextDelta = 0;
        long nextEstimate = Long.MAX_VALUE;
        int nextHoursBefore = 0;
        int nextHours = 0;
        // the sampled takers, and (from the second step on) the start itself, which closes the chain
        boolean tryClosing = step > 0 && search.start != null && isCandidate(slot, search.start);
        for (int k = tryClosing ? -1 : 0; k < branching; k++) {
            TaApplicant taker = k < 0 ? search.start : candidates.get(random.nextInt(candidates.size()));
            boolean closes = taker == search.start && taker != null;
            if (taker == giver || (!closes && search.indexOf(taker) >= 0)) {
                continue;   // each TA once in a chain, except the start closing it
            }
            List<TaSlot> held = heldBy(taker);
            // what the taker keeps: for the start, its slots minus the first one it gave away
            TaSlot givenByTaker = closes ? search.slots[0] : null;
            int hoursNow = closes ? search.hoursAfter.get(0) : hoursOf(taker);
            if (!fitsNextTo(slot, held, givenByTaker)) {
                continue;
            }
            long delta = pairDelta + pairCost(taker, slot);
            search.slots[step] = slot;
            search.takers[step] = taker;
            int index = closes ? 0 : search.tas.size();
            if (!closes) {
                search.tas.add(taker);
                search.hoursBefore.add(hoursNow);
                search.hoursAfter.add(hoursNow);
            }
            if (hoursNow + slot.getHours() <= taker.maxHours()) {
                search.hoursAfter.set(index, hoursNow + slot.getHours());
                search.consider(step + 1, delta);
                // back as it was: for the start (closing) this entry stays and the other takers are
                // estimated with it, so it must not keep the slot the start only tried taking back
                search.hoursAfter.set(index, hoursNow);
            }
            if (!closes && step + 1 < depth && !held.isEmpty()) {
                TaSlot out = held.get(random.nextInt(held.size()));
                int after = hoursNow + slot.getHours() - out.getHours();
                if (!out.isPinned() && out.getCandidates().size() > 1 && after <= taker.maxHours()
                        && fitsNextTo(slot, held, out)) {
                    long estimate = delta - pairCost(taker, out) + loadCost(taker, after) - loadCost(taker, hoursNow);
                    if (estimate < nextEstimate) {
                        nextEstimate = estimate;
                        nextTaker = taker;
                        nextOut = out;
                        nextDelta = delta - pairCost(taker, out);
                        nextHoursBefore = hoursNow;
                        nextHours = after;
                    }
                }
            }
            if (!closes) {
                search.tas.remove(index);
                search.hoursBefore.remove(index);
                search.hoursAfter.remove(index);
            }
        }
        if (nextTaker != null) {
            search.slots[step] = slot;
            search.takers[step] = nextTaker;
            search.tas.add(nextTaker);
            search.hoursBefore.add(nextHoursBefore);
            search.hoursAfter.add(nextHours);
            extend(search, nextOut, nextTaker, step + 1, nextDelta, random);
        }
    }
}
