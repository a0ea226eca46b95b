package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

/**
 * The answer to every request a store sends to another node: a status that decides what the
 * sender does, the value when there is one, and a reason for people (logs, callers' errors) that
 * no code parses.
 *
 * @param status what became of the request
 * @param value the answer (may be null) when {@link Status#OK}, else null
 * @param error why there is no answer; empty when OK
 */
public record Reply(Status status, Object value, String error) {

    /** What became of a request. */
    public enum Status {
        /** Answered: {@code value} is the answer. */
        OK,
        /** The node is not (or no longer) the device's master: ask again once the mastership view caught up. */
        NOT_MASTER,
        /** The node refuses the request itself (too large, a duplicate, not enough replicas): asking again the same way fails again until the cluster changes. */
        REFUSED,
        /** Handling the request failed on the node. */
        FAILED,
        /** The node has no room for the request (a node at its memory bound): asking again later may succeed. */
        OVERLOADED
    }

    /** Checks that a failure has a reason and only an answer has a value. */
    public Reply {
        requireNonNull(status, "status");
        requireNonNull(error, "error");
        if (status != Status.OK && error.isEmpty()) {
            throw new IllegalArgumentException("a " + status + " reply needs a reason");
        }
        if (status != Status.OK && value != null) {
            throw new IllegalArgumentException("a " + status + " reply carries no value");
        }
    }

    /**
     * Returns a successful reply.
     *
     * @param value the answer, possibly null
     * @return the reply
     */
    public static Reply of(Object value) {
        return new Reply(Status.OK, value, "");
    }

    /**
     * Returns the reply of a node that is not the master of the device asked about.
     *
     * @param detail who is master according to the replying node
     * @return the reply
     */
    public static Reply notMaster(String detail) {
        return new Reply(Status.NOT_MASTER, null, "not the master: " + detail);
    }

    /**
     * Returns the reply of a node that refuses a request in itself.
     *
     * @param reason why
     * @return the reply
     */
    public static Reply refused(String reason) {
        return new Reply(Status.REFUSED, null, reason);
    }

    /**
     * Returns the reply of a node that failed to handle a request.
     *
     * @param reason why
     * @return the reply
     */
    public static Reply failure(String reason) {
        return new Reply(Status.FAILED, null, reason);
    }

    /** Returns true for an answer. */
    public boolean ok() {
        return status == Status.OK;
    }

    /** Returns true for the reply of a node that is not the device's master. */
    public boolean isNotMaster() {
        return status == Status.NOT_MASTER;
    }

    /**
     * Returns the answer as the type the request's route promises.
     *
     * @param type that type
     * @param <T> the type
     * @return the answer, possibly null
     * @throws IllegalStateException if this is not an answer or the answer is of another type
     */
    public <T> T value(Class<T> type) {
        if (status != Status.OK) {
            throw new IllegalStateException("no answer (" + status + "): " + error);
        }
        if (value != null && !type.isInstance(value)) {
            throw new IllegalStateException("expected an answer of type " + type.getSimpleName() + ", got "
                    + value.getClass().getSimpleName());
        }
        return type.cast(value);
    }
}
