package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

/**
 * The answer to every request a store sends to a device's master: a value, or the reason the
 * master could not give one. Reasons travel as text because the transport does not carry
 * exceptions.
 *
 * @param ok true when {@code value} is the answer
 * @param value the answer (may be null) when ok
 * @param error why there is no answer; empty when ok
 */
public record Reply(boolean ok, Object value, String error) {

    /** Checks that a failure has a reason. */
    public Reply {
        requireNonNull(error, "error");
        if (!ok && error.isEmpty()) {
            throw new IllegalArgumentException("a failed reply needs a reason");
        }
    }

    /**
     * Returns a successful reply.
     *
     * @param value the answer, possibly null
     * @return the reply
     */
    public static Reply of(Object value) {
        return new Reply(true, value, "");
    }

    /** Start of the error of a reply from a node that is not (or no longer) the device's master. */
    public static final String NOT_MASTER = "not the master: ";

    /**
     * Returns the reply of a node that is not the master of the device asked about: the caller
     * may ask again once its view of the mastership has caught up.
     *
     * @param detail who is master according to the replying node
     * @return the reply
     */
    public static Reply notMaster(String detail) {
        return new Reply(false, null, NOT_MASTER + detail);
    }

    /** Returns true for the reply of a node that is not the device's master. */
    public boolean isNotMaster() {
        return !ok && error.startsWith(NOT_MASTER);
    }

    /**
     * Returns a failed reply.
     *
     * @param error why
     * @return the reply
     */
    public static Reply failure(String error) {
        return new Reply(false, null, error);
    }
}
