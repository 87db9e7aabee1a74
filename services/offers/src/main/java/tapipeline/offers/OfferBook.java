package tapipeline.offers;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;

/**
 * The replayed state this service works from: every offer of {@code offers.state} (its own state,
 * the whole current record of each offer) and the newest dataset of each term (e-mail addresses,
 * course duties). Nothing here is only in memory: a restart replays it all.
 */
final class OfferBook {

    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, Dataset> datasets = new ConcurrentHashMap<>();

    /**
     * A state record: replayed, or just written by this instance (write-through; the replay brings the
     * same record later). An offer's record never goes back in time: one older than the state held (a
     * replay behind this instance's own write) is ignored.
     */
    void put(Offer offer) {
        offers.merge(offer.offerId(), offer, (old, now) -> {
            if (now.updatedAt().isBefore(old.updatedAt())) {
                return old;
            }
            if (!old.status().pending() && now.status().pending()) {
                // an answered, expired or withdrawn offer never becomes pending again: a record that says so was
                // written by an instance that had not yet seen the answer (e.g. a reminder racing a TA's accept
                // on another instance); the holder of the offer's partition writes the final state again
                regressed.add(old.offerId());
                return old;
            }
            return now;
        });
    }

    /** Offers whose last record in offers.state went back to pending after a final state (see {@link #put}). */
    private final java.util.Set<String> regressed = ConcurrentHashMap.newKeySet();

    java.util.Set<String> regressed() {
        return regressed;
    }

    void put(Dataset dataset) {
        datasets.merge(dataset.term(), dataset, (old, now) -> now.version() >= old.version() ? now : old);
    }

    Optional<Offer> offer(String offerId) {
        return Optional.ofNullable(offers.get(offerId));
    }

    Optional<Dataset> dataset(String term) {
        return Optional.ofNullable(datasets.get(term));
    }

    Collection<Offer> all() {
        return offers.values();
    }

    /** The term's offers, newest first. */
    List<Offer> ofTerm(String term) {
        return offers.values().stream().filter(o -> o.term().equals(term))
                .sorted(Comparator.comparing(Offer::createdAt).reversed().thenComparing(Offer::offerId)).toList();
    }

    /** Every term with an offer, in order. */
    SortedSet<String> terms() {
        SortedSet<String> out = new TreeSet<>();
        offers.values().forEach(o -> out.add(o.term()));
        return out;
    }
}
