package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;

/**
 * Identity of an application that owns flow rules: a 16-bit numeric id, which becomes the high
 * bits of every {@link org.flowstore.api.flow.FlowId} the application creates, and a name such
 * as {@code org.onosproject.rest}. Interned; equal when both id and name are equal.
 */
public final class ApplicationId {

    /** Largest numeric application id (the id must fit in 16 bits). */
    public static final int MAX_ID = 0xFFFF;

    private static final Interner<ApplicationId> INTERNER = Interners.newWeakInterner();

    private final int id;
    private final String name;

    private ApplicationId(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /**
     * Returns the application id with a numeric id and a name.
     *
     * @param id numeric id, 0 to {@value #MAX_ID}
     * @param name non-empty name, at most 255 characters
     * @return the (interned) application id
     * @throws IllegalArgumentException if the id is out of range or the name empty or too long
     */
    public static ApplicationId of(int id, String name) {
        requireNonNull(name, "application name");
        checkArgument(id >= 0 && id <= MAX_ID, "application id must be 0..%s, was %s", MAX_ID, id);
        checkArgument(!name.isBlank() && name.length() <= 255,
                "application name must have 1 to 255 characters: '%s'", name);
        return INTERNER.intern(new ApplicationId(id, name));
    }

    /** Returns the numeric id (0 to {@value #MAX_ID}). */
    public int id() {
        return id;
    }

    /** Returns the name. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ApplicationId other && id == other.id && name.equals(other.name));
    }

    @Override
    public int hashCode() {
        return 31 * id + name.hashCode();
    }

    @Override
    public String toString() {
        return name + "(" + id + ")";
    }
}
