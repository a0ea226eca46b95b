package org.flowstore.serializers.protocol;

/**
 * Where a copy of a device's table stands: the mastership term of its last change and its
 * logical clock (the number of changes the master had made when it was cut). Two copies with the
 * same version hold the same entries. Versions order copies of one lineage by clock; a higher
 * term wins between lineages.
 *
 * @param term the term of the last change
 * @param clock the logical clock
 */
public record TableVersion(long term, long clock) implements Comparable<TableVersion> {

    /** The version of a table that never had a change. */
    public static final TableVersion EMPTY = new TableVersion(0, 0);

    @Override
    public int compareTo(TableVersion other) {
        int byTerm = Long.compare(term, other.term);
        return byTerm != 0 ? byTerm : Long.compare(clock, other.clock);
    }

    @Override
    public String toString() {
        return "t" + term + "@" + clock;
    }
}
