package tapipeline.solver.search;

import org.optaplanner.core.impl.domain.variable.supply.Demand;
import org.optaplanner.core.impl.domain.variable.supply.Supply;

/**
 * A demand for the supply built from one object (a working solution, a planning variable): demands
 * of the same class for the very same object are equal, so the supply manager hands all of them one
 * shared supply.
 */
abstract class KeyedDemand<S extends Supply, K> implements Demand<S> {

    final K key;

    KeyedDemand(K key) {
        this.key = key;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((KeyedDemand<?, ?>) o).key == key;
    }

    @Override
    public final int hashCode() {
        return System.identityHashCode(key);
    }
}
