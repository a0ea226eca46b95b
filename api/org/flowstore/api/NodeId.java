package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;

/**
 * Identity of a controller cluster node, for example {@code n1}. Interned; equality is by text.
 */
public final class NodeId implements Comparable<NodeId> {

    /** Longest accepted node id, in characters. */
    public static final int MAX_LENGTH = 128;

    private static final Interner<NodeId> INTERNER = Interners.newWeakInterner();

    private final String id;

    private NodeId(String id) {
        this.id = id;
    }

    /**
     * Returns the node id of a text.
     *
     * @param id 1 to {@value #MAX_LENGTH} printable ASCII characters without blanks
     * @return the (interned) node id
     * @throws IllegalArgumentException if the text is empty, too long or has blanks
     */
    public static NodeId nodeId(String id) {
        requireNonNull(id, "node id");
        checkArgument(!id.isEmpty() && id.length() <= MAX_LENGTH,
                "node id must have 1 to %s characters: '%s'", MAX_LENGTH, id);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            checkArgument(c > ' ' && c < 0x7f, "node id has a blank or non-ASCII character: '%s'", id);
        }
        return INTERNER.intern(new NodeId(id));
    }

    /** Returns the text of this id. */
    public String id() {
        return id;
    }

    @Override
    public int compareTo(NodeId other) {
        return id.compareTo(other.id);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof NodeId other && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
